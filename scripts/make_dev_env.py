"""Print a development .env: debug on, fresh local secrets, the sandbox as the API."""

from __future__ import annotations

import base64
import secrets

print(f"""# Written by `make run` for local development. Production: see .env.example.
DJANGO_DEBUG=true
DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}
FIELD_ENCRYPTION_KEYS={base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}
CODELOCKS_API_URL=http://127.0.0.1:8001
CODELOCKS_API_KEY=sandbox-{secrets.token_hex(8)}
CODELOCKS_PLAN=business-1
SANDBOX_K3_ACCESSKEY=demo{secrets.token_hex(3)}
""")
