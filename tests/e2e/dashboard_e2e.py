#!/usr/bin/python3
"""The dashboard end to end, in headless Chromium driven over the DevTools protocol.

A collector signs in with her token, sees the overview, opens her worklist, records a call
outcome, records a promise to pay on a customer page, resolves an unapplied payment by
splitting it across two invoices, and sees the balances change. Each page is saved as a
screenshot in the artifacts folder.

Usage: dashboard_e2e.py --arcd BIN --arcctl BIN --artifacts DIR
"""
import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket  # Debian: python3-websocket


class Failure(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failure(what)


class Browser:
    """Just enough of the DevTools protocol: navigate, evaluate, wait, screenshot."""

    def __init__(self, profile):
        self.proc = subprocess.Popen(
            ["/usr/bin/chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
             "--remote-debugging-port=0", "--user-data-dir=" + profile, "--window-size=1366,900", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = os.path.join(profile, "DevToolsActivePort")
        for _ in range(300):
            if os.path.exists(port_file) and open(port_file).read().count("\n") >= 1:
                break
            time.sleep(0.1)
        port = int(open(port_file).read().split("\n")[0])
        targets = json.load(urllib.request.urlopen("http://127.0.0.1:%d/json" % port, timeout=10))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30)
        self.next_id = 0
        self.console = []
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.send("Emulation.setDeviceMetricsOverride", width=1366, height=900, deviceScaleFactor=1, mobile=False)

    def send(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("method") == "Runtime.exceptionThrown":
                self.console.append(message["params"]["exceptionDetails"].get("text", "exception"))
            if message.get("id") == my_id:
                if "error" in message:
                    raise Failure("%s: %s" % (method, message["error"]))
                return message.get("result", {})

    def eval(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise Failure("page script failed: %s\n%s" % (expression[:200], result["exceptionDetails"]))
        return result["result"].get("value")

    def wait_for(self, expression, what, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.eval(expression):
                return
            time.sleep(0.1)
        raise Failure("timed out waiting for " + what + "; page text: " + str(self.eval("document.body.innerText"))[:1500])

    def goto(self, url):
        self.send("Page.navigate", url=url)

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.ws.close()
        finally:
            self.proc.kill()
            self.proc.wait()


INVOICES = """invoice_number,customer_id,customer_name,currency,amount_total,amount_open,issue_date,due_date,payment_reference,customer_iban,customer_email
A-1001,C1,Alpine Tools AG,EUR,1200.00,1200.00,2026-08-01,2026-09-01,,,ap@alpine.example
A-1002,C1,Alpine Tools AG,EUR,800.50,800.50,2026-08-15,2026-09-15,,,ap@alpine.example
A-1003,C1,Alpine Tools AG,EUR,430.00,430.00,2026-09-20,2026-10-20,,,ap@alpine.example
B-2001,C2,Borealis Foods Ltd,EUR,5000.00,5000.00,2026-08-01,2026-09-01,,,ap@borealis.example
C-3001,C3,Cirrus Retail SA,USD,2500.00,2500.00,2026-09-01,2026-10-01,,,ap@cirrus.example
"""


def statement(today):
    # One credit nobody can place automatically: an unknown payer, no reference, paying A-1001
    # and A-1002 together (2000.50).
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">"
            "<BkToCstmrStmt><GrpHdr><MsgId>E2E-1</MsgId><CreDtTm>%sT08:00:00Z</CreDtTm></GrpHdr><Stmt><Id>E2E-S1</Id>"
            "<Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>"
            "<Ntry><Amt Ccy=\"EUR\">2000.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>"
            "<BookgDt><Dt>%s</Dt></BookgDt><ValDt><Dt>%s</Dt></ValDt><AcctSvcrRef>E2E000001</AcctSvcrRef>"
            "<NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>"
            "<RltdPties><Dbtr><Pty><Nm>M. Huber privat</Nm></Pty></Dbtr></RltdPties>"
            "<RmtInf><Ustrd>Sammelzahlung</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
            "</Stmt></BkToCstmrStmt></Document>") % (today, today, today)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arcd", required=True)
    ap.add_argument("--arcctl", required=True)
    ap.add_argument("--artifacts", required=True)
    args = ap.parse_args()
    os.makedirs(args.artifacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix="arcd-dashboard-")
    config = os.path.join(work, "arcd.toml")
    with open(config, "w") as f:
        f.write('[database]\nurl = "sqlite://%s/arcd.db"\n[http]\nport = 0\n' % work)

    def arcctl(*words):
        out = subprocess.run([args.arcctl, "--config", config] + list(words), capture_output=True, text=True, timeout=120)
        check(out.returncode == 0, "arcctl %s failed: %s%s" % (" ".join(words), out.stdout, out.stderr))
        return out.stdout

    today = time.strftime("%Y-%m-%d", time.gmtime())
    with open(os.path.join(work, "invoices.csv"), "w") as f:
        f.write(INVOICES)
    with open(os.path.join(work, "statement.xml"), "w") as f:
        f.write(statement(today))
    arcctl("db", "migrate")
    arcctl("invoices", "import", os.path.join(work, "invoices.csv"))
    arcctl("customers", "set", "--customer", "C1", "--collector", "anna")
    arcctl("customers", "set", "--customer", "C2", "--collector", "ben")
    arcctl("statements", "import", os.path.join(work, "statement.xml"))
    arcctl("cashapp", "run")
    token = json.loads(arcctl("--format", "json", "tokens", "create", "--user", "anna", "--role", "collector"))["token"]

    log_path = os.path.join(work, "arcd.log")
    daemon = subprocess.Popen([args.arcd, "--config", config], stdout=open(log_path, "w"), stderr=subprocess.STDOUT)
    browser = None
    try:
        port = None
        for _ in range(300):
            m = re.search(r"HTTP_LISTENING address=\S+ port=(\d+)", open(log_path).read())
            if m:
                port = int(m.group(1))
                break
            time.sleep(0.1)
        check(port, "arcd did not start: " + open(log_path).read())
        base = "http://127.0.0.1:%d" % port

        def api(path):
            req = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
            return json.load(urllib.request.urlopen(req, timeout=10))

        c1 = next(c for c in api("/api/v1/customers")["items"] if c["external_id"] == "C1")
        open_before = c1["balances"][0]["open"]
        check(open_before == "2430.50", "C1 opens at 2430.50, not " + open_before)

        browser = Browser(os.path.join(work, "chromium"))
        shot = lambda name: browser.screenshot(os.path.join(args.artifacts, name + ".png"))

        # Sign in.
        browser.goto(base + "/ui/")
        browser.wait_for("!!document.querySelector('#token')", "the sign-in form")
        shot("01-sign-in")
        browser.eval("document.querySelector('#token').value = %s" % json.dumps(token))
        browser.eval("document.querySelector('form.signin button[type=submit]').click()")
        # Overview: totals by currency, aging charts, KPIs, freshness.
        browser.wait_for("document.body.dataset.page === 'overview' && document.querySelectorAll('svg.chart').length >= 2",
                         "the overview with its charts")
        text = browser.eval("document.body.innerText")
        check("Total AR by currency" in text and "EUR" in text and "Data freshness" in text, "the overview shows AR, aging and freshness")
        check("anna (collector)" in text, "the header names the signed-in user")
        shot("02-overview")

        # Worklist: only anna's customer, with one-click call outcomes.
        browser.goto(base + "/ui/#/worklist")
        browser.wait_for("document.body.dataset.page === 'worklist' && document.body.innerText.includes('Alpine Tools AG')", "anna's worklist")
        text = browser.eval("document.body.innerText")
        check("Borealis" not in text, "a collector's worklist has only her customers")
        shot("03-worklist")
        browser.eval("[...document.querySelectorAll('button')].find(b => b.textContent === 'Call: reached').click()")
        browser.wait_for("document.getElementById('status').textContent.startsWith('Call logged')", "the call outcome to be recorded")

        # Customer page: the call is on the timeline; record a promise to pay.
        browser.goto(base + "/ui/#/customer/%d" % c1["id"])
        browser.wait_for("document.body.dataset.page === 'customer' && document.body.innerText.includes('Call: reached')",
                         "the customer page with the logged call")
        browser.eval("""(() => {
            const f = document.querySelector('form[aria-label="Record a promise to pay"]');
            f.querySelector('[name=amount]').value = '430.00';
            f.querySelector('[name=promised_date]').value = '%s';
            document.querySelector('input[aria-label="Invoice A-1003"]').checked = true;
            f.querySelector('button[type=submit]').click();
        })()""" % time.strftime("%Y-%m-%d", time.gmtime(time.time() + 7 * 86400)))
        browser.wait_for("document.body.innerText.includes('430.00 EUR') && document.body.innerText.match(/\\bopen\\b/)",
                         "the promise on the customer page")
        shot("04-customer")
        ptps = api("/api/v1/ptps?customer=%d" % c1["id"])["items"]
        check(len(ptps) == 1 and ptps[0]["amount"] == "430.00" and ptps[0]["recorded_by"] == "api:anna", "the promise is stored as anna's")

        # Exceptions: split the unknown payer's 2000.50 across A-1001 and A-1002.
        browser.goto(base + "/ui/#/exceptions")
        browser.wait_for("document.body.dataset.page === 'exceptions' && document.body.innerText.includes('2000.50')", "the exception queue")
        shot("05-exceptions")
        browser.eval("""(() => {
            const form = document.querySelector('form[aria-label^="Split entry"]');
            [...form.querySelectorAll('button')].find(b => b.textContent === 'Add invoice').click();
            const rows = form.querySelectorAll('[name=number]');
            rows[0].value = 'A-1001';
            rows[1].value = 'A-1002';
            form.querySelector('button[type=submit]').click();
        })()""")
        browser.wait_for("document.body.innerText.includes('Exceptions (0)')", "the exception to be resolved")
        shot("06-exceptions-done")

        # The balances changed: on the page and in the API.
        browser.goto(base + "/ui/#/customer/%d" % c1["id"])
        browser.wait_for("document.body.dataset.page === 'customer' && document.body.innerText.includes('430.00')", "the customer page again")
        text = browser.eval("document.body.innerText")
        check("A-1001" not in text.split("Open invoices")[1].split("Log a call")[0], "A-1001 is no longer open on the page")
        shot("07-customer-after")
        c1_after = api("/api/v1/customers/%d" % c1["id"])
        check(c1_after["balances"][0]["open"] == "430.00", "C1 now owes 430.00, not " + c1_after["balances"][0]["open"])
        check([i["number"] for i in c1_after["open_invoices"]] == ["A-1003"], "only A-1003 is open")

        # Disputes board renders (empty) for completeness.
        browser.goto(base + "/ui/#/disputes")
        browser.wait_for("document.body.dataset.page === 'disputes'", "the disputes board")
        shot("08-disputes")

        # The forecast: A-1003's 430.00 is promised for next week, so the chart shows EUR.
        browser.goto(base + "/ui/#/forecast")
        browser.wait_for("document.body.dataset.page === 'forecast' && document.querySelectorAll('svg.chart').length >= 1", "the forecast chart")
        text = browser.eval("document.body.innerText")
        check("430.00" in text, "the promised 430.00 is in the forecast")
        check("5000.00" not in text, "a collector's forecast holds only her segment (not B-2001)")
        shot("09-forecast")
        # Grouped by entity: one chart per currency and ERP company, the same money.
        browser.eval("(() => { const s = document.getElementById('forecast-by'); s.value = 'entity'; s.dispatchEvent(new Event('change')); })()")
        browser.wait_for("document.querySelector('#forecast-by option[value=entity]').selected && document.querySelectorAll('svg.chart').length >= 1 && document.body.innerText.includes('Expected inflows EUR \u00b7 ')", "the forecast by entity")
        check("430.00" in browser.eval("document.body.innerText"), "the promised 430.00 is in the forecast by entity")
        check(not browser.console, "no script errors on the pages: %s" % browser.console)
        print("dashboard e2e: passed; screenshots in " + args.artifacts)
        return 0
    except Failure as e:
        print("dashboard e2e FAILED: %s" % e, file=sys.stderr)
        if browser:
            try:
                browser.screenshot(os.path.join(args.artifacts, "failure.png"))
            except Exception:
                pass
        print("--- arcd log ---\n" + open(log_path).read()[-4000:], file=sys.stderr)
        return 1
    finally:
        if browser:
            browser.close()
        daemon.terminate()
        daemon.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
