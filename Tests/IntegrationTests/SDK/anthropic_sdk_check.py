"""The official Anthropic Python SDK against the gateway's Messages API, through each upstream format.

Usage: python anthropic_sdk_check.py BASE_URL TOKEN
Models (see ThreeProviderMock.swift): claude-sonnet-4-5 (Anthropic upstream, passed through),
gpt-4o / gpt-4o-whole / gpt-4o-late (OpenAI-compatible upstream), gemini-2.5-flash (Gemini upstream).
Prints one line per check and "ok" at the end; any failed assertion exits non-zero.
"""
import sys

import anthropic

base_url, token = sys.argv[1:3]
client = anthropic.Anthropic(base_url=base_url, api_key=token, max_retries=0, timeout=20)
bearer = anthropic.Anthropic(base_url=base_url, auth_token=token, api_key=None, max_retries=0, timeout=20)

# The SDK of 2026 has no temperature or top_k arguments any more; older clients still send them (extra_body).
SYSTEM = [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}]
HELLO = [{"role": "user", "content": [{"type": "text", "text": "Hi", "cache_control": {"type": "ephemeral"}}]}]
TOOLS = [
    {"name": "compute_fib", "description": "Fibonacci", "input_schema": {"type": "object", "properties": {"n": {"type": "integer"}}}},
    {"name": "get_weather", "description": "Weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}},
    {"name": "get_capital", "description": "Capital", "input_schema": {"type": "object", "properties": {"country": {"type": "string"}}}},
]
# What each upstream's tool call carries (the recorded streams' calls).
EXPECTED_TOOL = {
    "claude-sonnet-4-5": ("compute_fib", {"n": 100}),
    "gpt-4o": ("get_weather", {"city": "Mexico City"}),
    "gpt-4o-whole": ("get_weather", {"city": "Mexico City"}),
    "gpt-4o-late": ("get_weather", {"city": "Mexico City"}),
    "gemini-2.5-flash": ("get_capital", {"country": "France"}),
}
GREETING = {"claude-sonnet-4-5": "anthropic", "gpt-4o": "openai", "gemini-2.5-flash": "gemini"}


def text_of(message):
    return "".join(block.text for block in message.content if block.type == "text").strip()


def check_text(model):
    message = client.messages.create(model=model, max_tokens=64, system=SYSTEM, messages=HELLO,
                                     extra_body={"temperature": 0.2, "top_k": 5})
    assert message.type == "message" and message.role == "assistant", message
    assert text_of(message) == f"Hello from {GREETING[model]}.", message
    assert message.stop_reason == "end_turn", message
    assert message.usage.output_tokens == 12, message.usage
    # 30 prompt tokens upstream, in Anthropic's terms: input excludes cache reads and writes.
    total_input = message.usage.input_tokens + (message.usage.cache_read_input_tokens or 0) + (message.usage.cache_creation_input_tokens or 0)
    assert total_input == 30, message.usage

    with client.messages.stream(model=model, max_tokens=64, system=SYSTEM, messages=HELLO) as stream:
        pieces = [text for text in stream.text_stream]
        final = stream.get_final_message()
    assert len(pieces) >= 2, pieces
    assert "".join(pieces).strip() == f"Hello from {GREETING[model]}.", pieces
    assert final.stop_reason == "end_turn" and final.usage.output_tokens == 12, final
    print("text", model, "ok")


def check_tools(model, streaming):
    name, arguments = EXPECTED_TOOL[model]
    request = dict(model=model, max_tokens=256, messages=[{"role": "user", "content": "Use a tool."}], tools=TOOLS,
                   tool_choice={"type": "auto"})
    if streaming:
        with client.messages.stream(**request) as stream:
            events = [event.type for event in stream]
            message = stream.get_final_message()
        assert events[0] == "message_start" and events[-1] == "message_stop", events
    else:
        message = client.messages.create(**request)
    calls = [block for block in message.content if block.type == "tool_use"]
    assert len(calls) == 1, message.content
    assert calls[0].name == name and calls[0].input == arguments, (calls[0], arguments)
    assert message.stop_reason == "tool_use", message
    # The round trip: the tool's result (an error once, with content blocks) goes back.
    followup = client.messages.create(
        model=model, max_tokens=256, tools=TOOLS,
        messages=[
            {"role": "user", "content": "Use a tool."},
            {"role": "assistant", "content": [block.model_dump(exclude_none=True) for block in message.content]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": calls[0].id, "is_error": True,
                 "content": [{"type": "text", "text": "timeout"}]},
            ]},
        ])
    assert text_of(followup) == "The answer is ready.", followup
    print("tools", model, "stream" if streaming else "create", "ok")


def check_thinking():
    # Anthropic upstream: the recorded thinking stream, signature included, passed through untouched.
    with client.messages.stream(model="claude-sonnet-4-5", max_tokens=2048, thinking={"type": "enabled", "budget_tokens": 1024},
                                messages=[{"role": "user", "content": "Use a tool."}], tools=TOOLS) as stream:
        message = stream.get_final_message()
    thinking = [block for block in message.content if block.type == "thinking"]
    assert thinking and thinking[0].thinking and thinking[0].signature, message.content
    # Gemini upstream: thought parts become a thinking block (no signature: Gemini's cannot be replayed to Anthropic).
    with client.messages.stream(model="gemini-2.5-flash", max_tokens=2048, thinking={"type": "enabled", "budget_tokens": 1024},
                                messages=HELLO) as stream:
        message = stream.get_final_message()
    thinking = [block for block in message.content if block.type == "thinking"]
    assert thinking and "Clarifying" in thinking[0].thinking, message.content
    assert text_of(message), message.content
    # OpenAI-compatible upstream: reasoning deltas become thinking.
    with client.messages.stream(model="gpt-4o", max_tokens=2048, thinking={"type": "enabled", "budget_tokens": 1024},
                                messages=HELLO) as stream:
        message = stream.get_final_message()
    assert [block.type for block in message.content] == ["thinking", "text"], message.content
    print("thinking ok")


def check_count_tokens():
    counted = client.messages.count_tokens(model="claude-sonnet-4-5", system="Be brief.", messages=HELLO, tools=TOOLS)
    assert counted.input_tokens == 321, counted
    short = client.messages.count_tokens(model="gpt-4o", messages=HELLO)
    longer = client.messages.count_tokens(model="gpt-4o", system="Be brief. " * 100, messages=HELLO, tools=TOOLS)
    assert 0 < short.input_tokens < longer.input_tokens, (short, longer)
    assert longer.input_tokens > 250, longer  # system and tools are counted
    print("count_tokens ok")


def check_errors():
    try:
        anthropic.Anthropic(base_url=base_url, api_key="not-a-token", max_retries=0).messages.create(
            model="gpt-4o", max_tokens=10, messages=HELLO)
        raise AssertionError("expected a 401")
    except anthropic.AuthenticationError as error:
        assert error.status_code == 401 and error.body["type"] == "error", error.body
        assert error.body["error"]["type"] == "authentication_error", error.body
    try:
        client.messages.create(model="nobody-serves-this", max_tokens=10, messages=HELLO)
        raise AssertionError("expected a 404")
    except anthropic.NotFoundError as error:
        assert error.body["error"]["type"] == "not_found_error", error.body
    try:
        client.messages.create(model="gpt-4o", max_tokens=0, messages=HELLO)
        raise AssertionError("expected a 400")
    except anthropic.BadRequestError as error:
        assert error.body["error"]["type"] == "invalid_request_error" and "max_tokens" in error.body["error"]["message"], error.body
    try:
        client.messages.create(model="claude-ratelimited", max_tokens=10, messages=HELLO)
        raise AssertionError("expected a 429")
    except anthropic.RateLimitError as error:
        assert error.body["error"]["type"] == "rate_limit_error", error.body
    try:
        client.messages.create(model="claude-overloaded", max_tokens=10, messages=HELLO)
        raise AssertionError("expected a 529")
    except anthropic.APIStatusError as error:
        assert error.status_code == 529 and error.body["error"]["type"] == "overloaded_error", (error.status_code, error.body)
    try:
        with client.messages.stream(model="claude-overloaded", max_tokens=10, messages=HELLO) as stream:
            for _ in stream:
                pass
        raise AssertionError("expected the in-stream overloaded_error")
    except anthropic.APIStatusError as error:
        assert "overloaded" in str(error).lower(), error
    print("errors ok")


for model in ["claude-sonnet-4-5", "gpt-4o", "gemini-2.5-flash"]:
    check_text(model)
for model in EXPECTED_TOOL:
    check_tools(model, streaming=True)
for model in ["claude-sonnet-4-5", "gpt-4o", "gemini-2.5-flash"]:
    check_tools(model, streaming=False)
check_thinking()
check_count_tokens()
check_errors()
# The token as a bearer token works too; the model list in Anthropic's shape.
assert text_of(bearer.messages.create(model="gpt-4o", max_tokens=10, messages=HELLO)) == "Hello from openai."
models = client.models.list()
assert {"claude-sonnet-4-5", "gpt-4o", "gemini-2.5-flash"} <= {model.id for model in models.data}, models
assert all(model.type == "model" for model in models.data), models
print("anthropic sdk", anthropic.__version__, "ok")
