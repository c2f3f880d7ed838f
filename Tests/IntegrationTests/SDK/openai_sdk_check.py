"""The official OpenAI Python SDK against the gateway, unchanged: create, stream, list models, errors.

Usage: python openai_sdk_check.py BASE_URL TOKEN MODEL
"""
import sys

import openai

base_url, token, model = sys.argv[1:4]
client = openai.OpenAI(base_url=base_url, api_key=token, max_retries=0, timeout=20)
messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]

completion = client.chat.completions.create(model=model, messages=messages, temperature=0.2, max_tokens=50)
assert completion.choices[0].message.content == "plain", completion
assert completion.choices[0].finish_reason == "stop", completion
assert completion.usage.prompt_tokens == 2 and completion.usage.completion_tokens == 1, completion.usage

chunks = list(client.chat.completions.create(
    model=model, messages=messages, stream=True, stream_options={"include_usage": True}))
text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
assert text == "abc", text
assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 3, chunks[-1]

plain_stream = list(client.chat.completions.create(model=model, messages=messages, stream=True))
assert all(chunk.usage is None for chunk in plain_stream), "usage chunk sent without include_usage"

ids = [m.id for m in client.models.list().data]
assert model in ids, ids

try:
    client.chat.completions.create(model="nobody-serves-this", messages=messages)
    raise AssertionError("expected a 404")
except openai.NotFoundError as error:
    assert error.status_code == 404 and error.body["code"] == "model_not_found", error.body

try:
    openai.OpenAI(base_url=base_url, api_key="not-a-token", max_retries=0).models.list()
    raise AssertionError("expected a 401")
except openai.AuthenticationError as error:
    assert error.status_code == 401

print("openai sdk", openai.__version__, "ok")
