"""Drives a running Baimo server with the official OpenAI Python SDK and prints what it saw as
JSON, for test/integration/python-sdk.test.ts to assert on. Usage: openai_client.py BASE_URL KEY"""
import json
import sys

import openai

base_url, api_key = sys.argv[1], sys.argv[2]
client = openai.OpenAI(base_url=base_url, api_key=api_key, max_retries=0, timeout=20)
out = {"sdk_version": openai.__version__}

chat = client.chat.completions.create(model="chat", messages=[{"role": "user", "content": "hello from python"}])
out["chat"] = {"content": chat.choices[0].message.content, "model": chat.model, "usage": chat.usage.model_dump()}

with_raw = client.chat.completions.with_raw_response.create(model="chat", messages=[{"role": "user", "content": "raw"}])
out["raw_headers"] = {"x-request-id": with_raw.headers.get("x-request-id"), "x-baimo-deployment": with_raw.headers.get("x-baimo-deployment")}

pieces, usage = [], None
for chunk in client.chat.completions.create(
    model="chat", messages=[{"role": "user", "content": "stream it"}], stream=True, stream_options={"include_usage": True}
):
    if chunk.choices and chunk.choices[0].delta.content:
        pieces.append(chunk.choices[0].delta.content)
    if chunk.usage is not None:
        usage = chunk.usage.model_dump()
out["stream"] = {"text": "".join(pieces), "chunks": len(pieces), "usage": usage}

tools = client.chat.completions.create(
    model="tools",
    messages=[{"role": "user", "content": "weather in Paris?"}],
    tools=[{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}],
)
call = tools.choices[0].message.tool_calls[0]
out["tools"] = {"finish_reason": tools.choices[0].finish_reason, "name": call.function.name, "arguments": json.loads(call.function.arguments)}

# The Python SDK asks for base64 embeddings by default and decodes them itself.
emb = client.embeddings.create(model="embed", input=["one", "two"])
out["embeddings"] = {"count": len(emb.data), "dims": len(emb.data[0].embedding), "first": emb.data[0].embedding[:4]}
emb_float = client.embeddings.create(model="embed", input="one", encoding_format="float")
out["embeddings_float_first"] = emb_float.data[0].embedding[:4]

errors = {}
try:
    client.chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "x"}])
except openai.NotFoundError as e:
    errors["unknown_model"] = {"status": e.status_code, "code": e.code, "type": type(e).__name__}
try:
    client.chat.completions.create(model="limited", messages=[{"role": "user", "content": "x"}])
except openai.RateLimitError as e:
    errors["upstream_429"] = {"status": e.status_code, "retry_after": e.response.headers.get("retry-after"), "type": type(e).__name__}
try:
    client.chat.completions.create(model="chat", messages="not a list")
except openai.BadRequestError as e:
    errors["bad_request"] = {"status": e.status_code, "param": e.param, "type": type(e).__name__}
out["errors"] = errors

models = client.models.list()
out["models"] = sorted(m.id for m in models.data)

print(json.dumps(out))
