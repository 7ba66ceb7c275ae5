"""Tests of the Python binding: every scenario of the project decided through
the C library, one by one, in batches and from several threads, gives the Go
API's decision; malformed input gives an error and a deny.

    examples/embed/build.sh c && python3 -m unittest discover -s examples/python -v

The cases (each scenario's policy, request and Go decision) are written by
examples/embed/exportscenarios at set-up, or read from $SENDRIGHT_CASES.
"""

import json
import os
import subprocess
import tempfile
import threading
import unittest

import sendright

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CASES = []


def setUpModule():
    path = os.environ.get("SENDRIGHT_CASES")
    if not path:
        fd, path = tempfile.mkstemp(suffix=".jsonl")
        with os.fdopen(fd, "wb") as f:
            subprocess.run(["go", "run", "./examples/embed/exportscenarios", "eligibility/testdata/scenarios"],
                           cwd=ROOT, stdout=f, check=True)
    with open(path, "rb") as f:
        CASES.extend(json.loads(line) for line in f)
    if not os.environ.get("SENDRIGHT_CASES"):
        os.remove(path)


def by_config():
    """The cases grouped by policy configuration, in file order."""
    groups = {}
    for c in CASES:
        groups.setdefault(json.dumps(c["config"], sort_keys=True), []).append(c)
    return groups


class TestScenarios(unittest.TestCase):
    def check(self, case, decision, error):
        where = f'{case["file"]} {case["id"]}'
        if case.get("error"):
            self.assertIsNotNone(error, f"{where}: no error, the Go API's: {case['error']}")
        else:
            self.assertIsNone(error, where)
        if error is not None:
            self.assertEqual(decision["verdict"], "deny", where)
        if case["decision"] is None:  # the request does not decode in Go either
            self.assertEqual(error.code, "INVALID_REQUEST", where)
            return
        self.assertEqual(decision, case["decision"], where)

    def test_every_scenario_one_by_one(self):
        self.assertGreater(len(CASES), 100)
        self.assertTrue(any(c.get("error") for c in CASES), "no malformed case exported")
        for config, cases in by_config().items():
            with sendright.Policy(config=json.loads(config)) as policy:
                for c in cases:
                    decision, error = policy.decide(c["request"])
                    self.check(c, decision, error)

    def test_every_scenario_in_batches(self):
        for config, cases in by_config().items():
            with sendright.Policy(config=json.loads(config)) as policy:
                results = policy.decide_batch([c["request"] for c in cases])
                self.assertEqual(len(results), len(cases))
                for c, (decision, error) in zip(cases, results):
                    self.check(c, decision, error)

    def test_every_scenario_in_campaigns(self):
        """The scenarios whose requests decode, as campaigns: one per policy
        and message, each contact on its own line."""
        n = 0
        for config, cases in by_config().items():
            groups = {}
            for c in cases:
                if c["decision"] is None:
                    continue  # the request does not decode: no contact to send alone
                groups.setdefault(json.dumps(c["request"]["message"]), []).append(c)
            with sendright.Policy(config=json.loads(config)) as policy:
                for message, group in groups.items():
                    results = policy.decide_campaign(message, [c["request"]["contact"] for c in group])
                    self.assertEqual(len(results), len(group))
                    for c, (decision, error) in zip(group, results):
                        if c.get("error") and error is None and "ref" in c["request"]:
                            continue  # the request's ref was at fault: a campaign has none
                        self.check(c, decision, error)
                        n += 1
        self.assertGreater(n, 100)

    def test_threads(self):
        """Several threads decide every scenario at once, with shared
        policies and their own."""
        groups = list(by_config().items())
        shared = {config: sendright.Policy(config=json.loads(config)) for config, _ in groups}
        failures = []

        def work(n):
            try:
                for i, (config, cases) in enumerate(groups):
                    own = (i + n) % 2 == 1
                    policy = sendright.Policy(config=json.loads(config)) if own else shared[config]
                    for c in cases:
                        decision, error = policy.decide(c["request"])
                        self.check(c, decision, error)
                    if own:
                        policy.close()
            except Exception as e:  # noqa: BLE001 - reported below
                failures.append(e)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for p in shared.values():
            p.close()
        self.assertEqual(failures, [])


ALLOW = {
    "contact": {"id": "c-1", "kind": "consumer", "country": "FR", "time_zone": "Europe/Paris",
                "email": "lea.exemple@example.com",
                "records": [{"id": "r-1", "subject": "lea.exemple@example.com", "purpose": "marketing_general",
                             "channel": "email", "sender": "Maison Exemple SAS", "status": "granted",
                             "at": "2025-09-01T10:00:00+02:00", "method": "unticked_checkbox"}]},
    "message": {"purpose": "marketing_general", "channel": "email",
                "sender": {"entity": "Maison Exemple SAS", "kind": "company"}, "at": "2026-03-10T11:00:00+01:00"},
    "ref": "send-1",
}


class TestBinding(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.policy = sendright.Policy()

    @classmethod
    def tearDownClass(cls):
        cls.policy.close()

    def test_allow(self):
        decision, error = self.policy.decide(ALLOW)
        self.assertIsNone(error)
        self.assertEqual((decision["verdict"], decision["rule"]), ("allow", "EU_CONSENT"))

    def test_malformed(self):
        for bad in [b"", b"not json", b"null", b"[]", b'{"contact": 1}', "{\"contact\": {\"id\": \"\xe9\"",
                    json.dumps({**ALLOW, "Ref": "x"}), json.dumps({**ALLOW, "ref": "lea@example.com"}),
                    json.dumps({**ALLOW, "message": {**ALLOW["message"], "channel": "fax"}})]:
            with self.subTest(bad=bad):
                decision, error = self.policy.decide(bad)
                self.assertIsInstance(error, sendright.Error)
                self.assertEqual(error.code, "INVALID_REQUEST")
                self.assertEqual(decision["verdict"], "deny")

    def test_malformed_batch_line(self):
        lines = json.dumps(ALLOW).encode() + b"\nnot json\n\n" + json.dumps(ALLOW).encode() + b"\n"
        out = [json.loads(l) for l in self.policy.decide_batch_raw(lines).splitlines()]
        self.assertEqual([o["line"] for o in out], [1, 2, 3, 4])
        self.assertEqual([o["decision"]["verdict"] for o in out], ["allow", "deny", "deny", "allow"])
        self.assertEqual([o.get("error", {}).get("code") for o in out], [None, "INVALID_REQUEST", "INVALID_REQUEST", None])
        self.assertEqual(out[0]["ref"], "send-1")

    def test_batch_from(self):
        lines = json.dumps(ALLOW).encode() + b"\nnot json\n" + json.dumps(ALLOW).encode() + b"\n"
        whole = [json.loads(l) for l in self.policy.decide_batch_raw(lines).splitlines()]
        part = [json.loads(l) for l in self.policy.decide_batch_raw(lines, first=41).splitlines()]
        self.assertEqual([o["line"] for o in part], [41, 42, 43])
        for o in whole + part:
            del o["line"]
        self.assertEqual(part, whole)
        self.assertEqual([json.loads(l)["line"] for l in self.policy.decide_batch_raw(lines, first=-7).splitlines()], [1, 2, 3])

    def test_campaign(self):
        contact = json.dumps(ALLOW["contact"]).encode()
        out = [json.loads(l) for l in self.policy.decide_campaign_raw(
            ALLOW["message"], contact + b"\nnot json\n\n" + contact, first=3).splitlines()]
        self.assertEqual([(o["line"], o.get("id"), o["decision"]["verdict"], o.get("error", {}).get("code")) for o in out],
                         [(3, "c-1", "allow", None), (4, None, "deny", "INVALID_REQUEST"),
                          (5, None, "deny", "INVALID_REQUEST"), (6, "c-1", "allow", None)])
        self.assertEqual(out[0]["decision"], self.policy.decide(ALLOW)[0])
        with self.assertRaises(sendright.Error) as cm:
            self.policy.decide_campaign({**ALLOW["message"], "channel": "fax"}, [ALLOW["contact"]])
        self.assertEqual(cm.exception.code, "INVALID_REQUEST")
        self.assertEqual(self.policy.decide_campaign(ALLOW["message"], []), [])

    def test_explain(self):
        decision, audit, error = self.policy.explain(ALLOW)
        self.assertIsNone(error)
        self.assertEqual(audit["decision"], decision)
        self.assertTrue(audit["schema"].startswith("sendright.audit/"))
        self.assertTrue(audit["trace"])
        decision, audit, error = self.policy.explain(b"{")
        self.assertEqual((decision["verdict"], error.code, audit), ("deny", "INVALID_REQUEST", None))

    def test_closed_policy(self):
        p = sendright.Policy(builtin=["GB"])
        p.close()
        decision, error = p.decide(ALLOW)
        self.assertEqual((decision["verdict"], error.code), ("deny", "UNKNOWN_HANDLE"))
        with self.assertRaises(sendright.Error) as cm:
            p.decide_batch([ALLOW])
        self.assertEqual(cm.exception.code, "UNKNOWN_HANDLE")

    def test_compile_errors(self):
        for kwargs, code in [({"builtin": ["XX"]}, "INVALID_CONFIG"),
                             ({"params": {"nope": 1}}, "INVALID_CONFIG"),
                             ({"rules": [("house.yaml", "house: [\n")]}, "INVALID_RULES")]:
            with self.subTest(kwargs=kwargs):
                with self.assertRaises(sendright.Error) as cm:
                    sendright.Policy(**kwargs)
                self.assertEqual(cm.exception.code, code)

    def test_house_rules(self):
        with open(os.path.join(ROOT, "eligibility/testdata/house/acme.yaml")) as f:
            text = f.read()
        with sendright.Policy(rules=[("acme.yaml", text)]) as p:
            sunday = {**ALLOW, "message": {**ALLOW["message"], "at": "2026-03-08T11:00:00+01:00"}}
            decision, error = p.decide(sunday)
            self.assertIsNone(error)
            self.assertEqual((decision["verdict"], decision["origin"]), ("defer", "house"))

    def test_version(self):
        v = sendright.load().version()
        self.assertEqual(v["abi"], 1)
        self.assertTrue(v["semantics"].startswith("sendright/"))


if __name__ == "__main__":
    unittest.main()
