"""Drives a running Baimo server's Anthropic Messages surface with the official Anthropic Python
SDK and prints what it saw as JSON (test/integration/python-sdk.test.ts). Usage: anthropic_client.py BASE_URL KEY"""
import json
import sys

import anthropic

base_url, api_key = sys.argv[1], sys.argv[2]
client = anthropic.Anthropic(base_url=base_url, api_key=api_key, max_retries=0, timeout=20)
out = {"sdk_version": anthropic.__version__}

msg = client.messages.create(model="chat", max_tokens=50, system="Be brief.", messages=[{"role": "user", "content": "hello from python"}])
out["message"] = {"type": msg.type, "role": msg.role, "text": msg.content[0].text, "stop_reason": msg.stop_reason, "model": msg.model, "usage": {"input": msg.usage.input_tokens, "output": msg.usage.output_tokens}}

events = []
with client.messages.stream(model="chat", max_tokens=50, messages=[{"role": "user", "content": "stream it"}]) as stream:
    for event in stream:
        events.append(event.type)
    final = stream.get_final_message()
out["stream"] = {"first": events[0], "last": events[-1], "text": final.content[0].text, "output_tokens": final.usage.output_tokens}

try:
    client.messages.create(model="no-such-model", max_tokens=5, messages=[{"role": "user", "content": "x"}])
except anthropic.NotFoundError as e:
    out["unknown_model"] = {"status": e.status_code, "type": e.body["error"]["type"] if isinstance(e.body, dict) else None}

print(json.dumps(out))
