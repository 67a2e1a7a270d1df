#!/usr/bin/env python3
# Minimal Vigil webhook receiver: verifies X-Vigil-Signature and prints each alert id.
# Run: python3 docs/webhook-receiver.py, then start Vigil with VIGIL_WEBHOOK_URL=http://127.0.0.1:8080/hook
# and VIGIL_WEBHOOK_SECRET=0123456789abcdef0123 (use your own secret in real life).
# RECEIVER_HOST, RECEIVER_PORT and VIGIL_WEBHOOK_SECRET change the address and the secret (docker/compose.yaml).
import hmac, hashlib, os, time, http.server, sys

SECRET = os.environ.get("VIGIL_WEBHOOK_SECRET", "0123456789abcdef0123").encode()

def verify(secret: bytes, header: str, body: bytes, tolerance: int = 300) -> bool:
    parts = dict(p.split("=", 1) for p in header.split(","))
    t = int(parts["t"])
    if abs(time.time() - t) > tolerance:          # reject replays of old requests
        return False
    expected = hmac.new(secret, f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])

class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        ok = verify(SECRET, self.headers["X-Vigil-Signature"], body)
        print(self.headers["X-Vigil-Alert-Id"], "valid" if ok else "INVALID", flush=True)
        self.send_response(204 if ok else 401)
        self.end_headers()
    def log_message(self, *args):
        pass

address = (os.environ.get("RECEIVER_HOST", "127.0.0.1"), int(os.environ.get("RECEIVER_PORT", "8080")))
http.server.HTTPServer(address, Hook).serve_forever()
