# Copyright 2026 sales_cycle_process contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json


class JsonRpcAttackMixin:
    """For HttpCase tests: call a model method through /web/dataset/call_kw as the logged-in user, the
    way an RPC client does, and check that an attack is refused with a sentence."""

    def _call_kw(self, model, method, args, kwargs=None):
        """POST a JSON-RPC call_kw as the logged-in user; return the decoded response."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def _assert_refused(self, reply, error_class):
        self.assertIn("error", reply, f"the attack went through: {reply.get('result')!r}")
        data = reply["error"]["data"]
        self.assertEqual(data["name"], f"odoo.exceptions.{error_class}")
        # a sentence for the user, not a traceback
        self.assertTrue(data["message"].strip())
        self.assertNotIn("Traceback", data["message"])
