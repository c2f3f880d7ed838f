"""The official OpenAI Python SDK's chat completions, Responses and embeddings APIs against the gateway, through each upstream format.

Usage: python openai_client_apis_check.py BASE_URL TOKEN
Models (see ThreeProviderMock.swift): claude-sonnet-4-5 (Anthropic upstream), gpt-4o (OpenAI-compatible),
gemini-2.5-flash (Gemini); embeddings text-embedding-3-small (OpenAI), gemini-embedding-001 (Gemini).
"""
import base64
import struct
import sys

import openai

base_url, token = sys.argv[1:3]
client = openai.OpenAI(base_url=base_url, api_key=token, max_retries=0, timeout=20)
GREETING = {"claude-sonnet-4-5": "anthropic", "gpt-4o": "openai", "gemini-2.5-flash": "gemini"}
EXPECTED_TOOL = {
    "claude-sonnet-4-5": ("compute_fib", {"n": 100}),
    "gpt-4o": ("get_weather", {"city": "Mexico City"}),
    "gemini-2.5-flash": ("get_capital", {"country": "France"}),
}
TOOLS = [
    {"type": "function", "name": "compute_fib", "description": "Fibonacci", "parameters": {"type": "object", "properties": {"n": {"type": "integer"}}}},
    {"type": "function", "name": "get_weather", "description": "Weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}},
    {"type": "function", "name": "get_capital", "description": "Capital", "parameters": {"type": "object", "properties": {"country": {"type": "string"}}}},
]


def check_text(model):
    response = client.responses.create(model=model, instructions="Be brief.", input="Hi", max_output_tokens=64, store=False)
    assert response.object == "response" and response.status == "completed", response
    assert response.output_text.strip() == f"Hello from {GREETING[model]}.", response
    assert response.usage.input_tokens == 30 and response.usage.output_tokens == 12, response.usage
    assert response.usage.total_tokens == 42, response.usage

    events = list(client.responses.create(
        model=model, input=[{"role": "user", "content": [{"type": "input_text", "text": "Hi"}]}], stream=True, store=False))
    types = [event.type for event in events]
    assert types[:2] == ["response.created", "response.in_progress"], types
    assert types[-1] == "response.completed", types
    numbers = [event.sequence_number for event in events]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers), numbers
    text = "".join(event.delta for event in events if event.type == "response.output_text.delta")
    assert text.strip() == f"Hello from {GREETING[model]}.", text
    completed = events[-1].response
    assert completed.output_text.strip() == text.strip(), completed
    assert completed.usage.input_tokens == 30 and completed.usage.output_tokens == 12, completed.usage
    print("responses text", model, "ok")


def check_tools(model, streaming):
    name, arguments = EXPECTED_TOOL[model]
    request = dict(model=model, input="Use a tool.", tools=TOOLS, tool_choice="auto", store=False)
    if streaming:
        events = list(client.responses.create(stream=True, **request))
        deltas = "".join(event.delta for event in events if event.type == "response.function_call_arguments.delta")
        assert events[-1].type == "response.completed", [event.type for event in events]
        output = events[-1].response.output
        assert deltas and __import__("json").loads(deltas) == arguments, deltas
    else:
        output = client.responses.create(**request).output
    calls = [item for item in output if item.type == "function_call"]
    assert len(calls) == 1 and calls[0].name == name, output
    assert __import__("json").loads(calls[0].arguments) == arguments, calls[0]
    followup = client.responses.create(
        model=model, tools=TOOLS, store=False,
        input=[
            {"role": "user", "content": "Use a tool."},
            {"type": "function_call", "call_id": calls[0].call_id, "name": calls[0].name, "arguments": calls[0].arguments},
            {"type": "function_call_output", "call_id": calls[0].call_id, "output": "42"},
        ])
    assert followup.output_text == "The answer is ready.", followup
    print("responses tools", model, "stream" if streaming else "create", "ok")


def check_chat(model):
    completion = client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Hi"}], max_tokens=64)
    assert completion.choices[0].message.content.strip() == f"Hello from {GREETING[model]}.", completion
    assert completion.usage.prompt_tokens == 30 and completion.usage.completion_tokens == 12, completion.usage
    chunks = list(client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Hi"}], stream=True))
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    assert text.strip() == f"Hello from {GREETING[model]}.", text
    name, arguments = EXPECTED_TOOL[model]
    chat_tools = [{"type": "function", "function": {"name": tool["name"], "parameters": tool["parameters"]}} for tool in TOOLS]
    chunks = list(client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": "Use a tool."}], tools=chat_tools, stream=True))
    calls = {}
    for chunk in chunks:
        for call in (chunk.choices[0].delta.tool_calls or []) if chunk.choices else []:
            entry = calls.setdefault(call.index, {"name": "", "arguments": ""})
            if call.function:
                entry["name"] += call.function.name or ""
                entry["arguments"] += call.function.arguments or ""
    assert [entry["name"] for entry in calls.values()] == [name], calls
    assert __import__("json").loads(calls[0]["arguments"]) == arguments, calls
    print("chat", model, "ok")


def check_errors():
    try:
        client.responses.create(model="gpt-4o", input="Hi", previous_response_id="resp_123")
        raise AssertionError("expected a 400")
    except openai.BadRequestError as error:
        assert error.body["code"] == "stored_responses_unsupported", error.body
    try:
        client.responses.create(model="gpt-4o", input="Hi", store=True)
        raise AssertionError("expected a 400")
    except openai.BadRequestError as error:
        assert error.body["code"] == "stored_responses_unsupported", error.body
    try:
        client.responses.create(model="nobody-serves-this", input="Hi")
        raise AssertionError("expected a 404")
    except openai.NotFoundError as error:
        assert error.body["code"] == "model_not_found", error.body
    print("responses errors ok")


def check_embeddings(model):
    result = client.embeddings.create(model=model, input=["one", "two"])
    assert [item.index for item in result.data] == [0, 1], result
    assert result.data[0].embedding == [1.0, 2.0, 3.0], result.data[0]
    assert result.usage.prompt_tokens > 0, result.usage
    # The SDK asks for base64 unless told otherwise and decodes it; ask explicitly and decode by hand too.
    raw = client.embeddings.with_raw_response.create(model=model, input="one", encoding_format="base64").http_response.json()
    assert struct.unpack("<3f", base64.b64decode(raw["data"][0]["embedding"])) == (1.0, 2.0, 3.0), raw
    print("embeddings", model, "ok")


for model in GREETING:
    check_chat(model)
    check_text(model)
for model in EXPECTED_TOOL:
    check_tools(model, streaming=True)
    check_tools(model, streaming=False)
check_errors()
check_embeddings("text-embedding-3-small")
check_embeddings("gemini-embedding-001")
try:
    client.embeddings.create(model="gpt-4o", input="x")
    raise AssertionError("expected a 404: gpt-4o is a chat model")
except openai.NotFoundError as error:
    assert error.body["code"] == "model_not_found", error.body
print("openai chat, responses and embeddings", openai.__version__, "ok")
