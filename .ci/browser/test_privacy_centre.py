"""Issue 5 in a real browser: a visitor asks for their data on the privacy centre, follows the link
from the email caught by a real local SMTP server (aiosmtpd), confirms, and downloads a ZIP whose
JSON holds exactly their data and nobody else's; then an erasure end to end, after which the
subject's email is in no database file; then the person changes their consents and objections on
the preferences page and the gate follows; then an identity document is uploaded and deleted after
the check; then staff handle a rectification in the admin console. Headless Chromium against a real
`pledge serve` (SQLite).

usage: test_privacy_centre.py PLEDGE_BINARY [SCREENSHOT_DIR]

Every check prints PASS or FAIL; the exit status is 1 if any failed.
"""
import base64
import email
import io
import json
import os
import pathlib
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile

from aiosmtpd.controller import Controller
from harness import check, finish, free_port, replaced, start_pledge
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PLEDGE = sys.argv[1]
SHOTS = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else None


class Mailbox:
    """Keeps every message the SMTP server receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 OK"

    def wait_for(self, to, count, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = [m for rcpts, m in self.messages if to in rcpts]
            if len(found) >= count:
                return found
            time.sleep(0.2)
        return [m for rcpts, m in self.messages if to in rcpts]


def text_of(message):
    return message.get_payload(decode=True).decode("utf-8")


mailbox = Mailbox()
smtp_port = free_port()
smtp = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
smtp.start()

work = pathlib.Path(tempfile.mkdtemp(prefix="pledge-centre-"))
database = str(work / "pledge.sqlite")
key_file = work / "master.key"
key_file.write_text("22" * 32)
common = ["--database", database, "--master-key-file", str(key_file)]
admin = subprocess.run([PLEDGE, "keys", "create", "--name", "centre-test", "--role", "admin", *common],
                       check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
# Issue 30: the shop's own application database (examples/systems/shop.sql, SQLite), declared as a
# system; Ada Lovelace of the shop (ada@shop.example) is in it and nowhere in Pledge's vault.
shop_file = work / "shop.sqlite"
shop = sqlite3.connect(shop_file)
shop.execute("PRAGMA foreign_keys = ON")
shop.executescript((ROOT / "examples/systems/shop.sql").read_text() + (ROOT / "examples/systems/shop-people.sql").read_text())
shop.commit()
shop.close()
os.environ["SHOP_DATABASE_URL"] = f"sqlite:{shop_file}"
declaration = work / "pledge.yaml"
declaration.write_text((ROOT / "examples/compliant.yaml").read_text() + "\n"
                       + (ROOT / "examples/systems/shop.yaml").read_text().replace("kind: postgres", "kind: sqlite"))
server, URL = start_pledge(PLEDGE, ["--declaration", str(declaration), *common, "--smtp-url", f"smtp://127.0.0.1:{smtp_port}",
                                    "--smtp-from", "privacy@northwind.example"], work)


def api(method, path, body=None):
    request = urllib.request.Request(URL + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {admin}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def subject(address, name, company):
    status, created = api("POST", "/v1/subjects", {"identifiers": {"email": address}, "categories": ["enquirer", "customer"]})
    assert status == 201, created
    status, _ = api("POST", f"/v1/subjects/{created['id']}/data", {"form": "contact", "fields": {"name": name, "email": address, "company": company}})
    assert status == 201
    return created["id"]


ada = subject("ada@example.com", "Ada Lovelace", "Analytical Engines Ltd")
bob = subject("bob@example.com", "Bob Babbage", "Difference Works")
cy_email = "cy.quartermain@example.com"
cy = subject(cy_email, "Cy Quartermain", "Quartermain Teas")

options = webdriver.ChromeOptions()
for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,900"]:
    options.add_argument(argument)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
wait = WebDriverWait(driver, 15)


def ask(kind, address, browser_checks=True):
    driver.get(URL + "/privacy-centre")
    if not browser_checks:  # so the server's own check is what answers
        driver.execute_script("document.querySelector('form.request').noValidate = true")
    Select(driver.find_element(By.ID, "kind")).select_by_value(kind)
    field = driver.find_element(By.ID, "email")
    field.clear()
    field.send_keys(address)
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "form.request button[type=submit]").click()
    wait.until(replaced(page))


def confirm_from_email(address, count):
    messages = mailbox.wait_for(address, count)
    check(f"a confirmation email reaches {address} through the SMTP server", len(messages) >= count, f"{len(messages)} messages")
    if len(messages) < count:
        return None
    link = re.search(r"(http://\S+/privacy-centre/verify\?token=\S+)", text_of(messages[count - 1]))
    check("the email holds the confirmation link", link is not None, text_of(messages[count - 1]))
    driver.get(link.group(1))
    check("the link opens a page with a Confirm button (a mail scanner's GET confirms nothing)", driver.find_elements(By.ID, "confirm") != [])
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.ID, "confirm").click()
    wait.until(replaced(page))
    check("confirming leads to the request's page", driver.find_elements(By.ID, "status") != [], driver.page_source[:3000])
    return link.group(1)


try:
    # --- The form refuses what it cannot use, and says why.
    driver.get(URL + "/privacy-centre")
    offered = [option.get_attribute("value") for option in Select(driver.find_element(By.ID, "kind")).options]
    check(
        "the privacy centre offers every kind of request, and a question (CAM-04)",
        offered == ["", "access", "portability", "rectification", "erasure", "restriction", "objection", "marketing_opt_out",
                    "consent_withdrawal", "preferences", "unpublish", "parental_deletion", "complaint", "question"],
        offered,
    )
    ask("access", "not-an-address@", browser_checks=False)
    check("a bad email address is refused with a message", "email address" in driver.find_element(By.ID, "form-error").text)

    # --- Access, end to end.
    ask("access", "ada@example.com")
    check("after sending, the page says to check the email", driver.find_element(By.TAG_NAME, "h1").text == "Check your email")
    verify_link = confirm_from_email("ada@example.com", 1)
    check("confirmed, the access request is complete", driver.find_element(By.ID, "status").text == "Complete", driver.find_element(By.ID, "status").text)
    if SHOTS:
        driver.save_screenshot(str(SHOTS / "privacy-centre-status.png"))
    href = driver.find_element(By.ID, "download").get_attribute("href")
    with urllib.request.urlopen(href) as response:
        archive = zipfile.ZipFile(io.BytesIO(response.read()))
    names = set(archive.namelist())
    check("the ZIP holds the report, the JSON and the CSV tables", {"report.html", "data.json", "csv/personal_data.csv"} <= names, names)
    data = json.loads(archive.read("data.json"))
    values = sorted(item["value"] for item in data["personal_data"])
    check("the JSON holds exactly Ada's data", values == sorted(["Ada Lovelace", "ada@example.com", "Analytical Engines Ltd"]), values)
    check("the JSON is about Ada's subject id", data["subject"]["id"].lower() == ada)
    raw = archive.read("data.json").decode() + archive.read("report.html").decode()
    check("nobody else's data is in the export", "Bob" not in raw and "Quartermain" not in raw and bob not in raw)
    check("the report carries the Art 15 information", all(s in archive.read("report.html").decode() for s in ["Why we use it", "How long we keep it", "ico.org.uk"]))
    notices = mailbox.wait_for("ada@example.com", 2)
    check("a second email says the request is complete and links to it", len(notices) >= 2 and "/privacy-centre/requests/" in text_of(notices[-1]))
    try:
        urllib.request.urlopen(href.replace("key=", "key=x"))
        check("the download needs the requester's key", False)
    except urllib.error.HTTPError as error:
        check("the download needs the requester's key", error.code == 404, error.code)
    driver.get(verify_link)
    check("a used confirmation link is refused", "not valid" in driver.page_source)

    # --- Erasure, end to end, then the byte search.
    ask("erasure", cy_email)
    confirm_from_email(cy_email, 1)
    check("confirmed, the erasure is complete", driver.find_element(By.ID, "status").text == "Complete", driver.find_element(By.ID, "status").text)
    status, _ = api("GET", f"/v1/subjects/{cy}")
    check("the erased subject is gone from the API", status == 404, status)
    status, still = api("GET", f"/v1/subjects/{ada}")
    check("other subjects are untouched", status == 200, still)
    files = [p for p in work.iterdir() if p.name.startswith("pledge.sqlite")]
    found = [p.name for p in files if cy_email.encode() in p.read_bytes() or b"Quartermain" in p.read_bytes()]
    check("after erasure, the subject's email and name are in no database file", files != [] and found == [], found)
    canary = [p.name for p in files if b"Northwind" in p.read_bytes()]
    check("the byte search can see plaintext the database holds (the published notice)", canary != [])

    # --- Issue 30: access for someone only in the shop's database; their orders are in the ZIP.
    ask("access", "ada@shop.example")
    confirm_from_email("ada@shop.example", 1)
    check("confirmed, the shop customer's access request is complete", driver.find_element(By.ID, "status").text == "Complete",
          driver.find_element(By.ID, "status").text)
    with urllib.request.urlopen(driver.find_element(By.ID, "download").get_attribute("href")) as response:
        archive = zipfile.ZipFile(io.BytesIO(response.read()))
    names = set(archive.namelist())
    check("the ZIP holds a CSV per table of the shop", {"csv/systems/shop.orders.csv", "csv/systems/shop.order_lines.csv",
                                                         "csv/systems/shop.customers.csv"} <= names, names)
    orders = archive.read("csv/systems/shop.orders.csv").decode()
    check("the orders CSV holds Ada's two orders and not Alan's", "100,1,10,2599" in orders and "101,1,10,1250" in orders and "200," not in orders, orders)
    data = json.loads(archive.read("data.json"))
    tables = {table["table"]: table for table in data["systems"]}
    check("data.json names the system and table of every row", set(tables) == {"customers", "newsletter_signups", "addresses", "orders", "order_lines"}
          and tables["orders"]["system_name"] == "Web shop database", sorted(tables))
    check("she is in no part of Pledge's vault", "subject" not in data and data["personal_data"] == [])
    check("the report shows the shop's tables", "In Web shop database: orders" in archive.read("report.html").decode())

    ask("erasure", "ada@shop.example")
    confirm_from_email("ada@shop.example", 3)
    check("confirmed, the shop customer's erasure is complete", driver.find_element(By.ID, "status").text == "Complete",
          driver.find_element(By.ID, "status").text)
    shop = sqlite3.connect(shop_file)
    customer = shop.execute("SELECT email, name, phone FROM customers WHERE id = 1").fetchone()
    check("in the shop, her customer row is masked as declared", customer[0].startswith("hmac:") and customer[1] is None and customer[2] is None, customer)
    check("her orders are kept under the HMRC hold", shop.execute("SELECT COUNT(*) FROM orders WHERE customer_id = 1").fetchone()[0] == 2)
    check("her newsletter signup is deleted, another person's is not",
          shop.execute("SELECT email FROM newsletter_signups").fetchall() == [("someone.else@shop.example",)])
    check("Alan is untouched", shop.execute("SELECT name FROM customers WHERE id = 2").fetchone() == ("Alan Turing",))
    shop.close()

    # --- Preferences (issue 5 §9): tick a consent, object, and the gate follows; untick, and it stops.
    def decide(purpose):
        status, answer = api("POST", "/v1/decisions", {"subject": ada, "purpose": purpose, "categories": ["user.contact.email"]})
        return answer.get("allowed")

    check("before, the newsletter has no consent from Ada", decide("newsletter") is False)
    check("before, Ada's enquiries may be handled on legitimate interests", decide("enquiries") is True)
    ask("preferences", "ada@example.com")
    confirm_from_email("ada@example.com", 3)
    check("the preferences page shows Ada's consents", driver.find_elements(By.ID, "preferences") != [], driver.page_source[:3000])
    driver.find_element(By.CSS_SELECTOR, "input[name=consent][value=newsletter]").click()
    driver.find_element(By.CSS_SELECTOR, "input[name=object][value=enquiries]").click()
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "#preferences ~ form button[type=submit]").click()
    wait.until(replaced(page))
    check("saving says the choices take effect now", "take effect now" in driver.find_element(By.ID, "notice").text)
    check("ticking the box is a consent the gate now honours", decide("newsletter") is True)
    check("the objection stops the enquiries purpose for Ada", decide("enquiries") is False)
    check("the box stays ticked", driver.find_element(By.CSS_SELECTOR, "input[name=consent][value=newsletter]").is_selected())
    if SHOTS:
        driver.save_screenshot(str(SHOTS / "privacy-centre-preferences.png"))
    driver.find_element(By.CSS_SELECTOR, "input[name=consent][value=newsletter]").click()
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "#preferences ~ form button[type=submit]").click()
    wait.until(replaced(page))
    check("unticking withdraws the consent at once (Art 7(3))", decide("newsletter") is False)

    # --- An identity document, sent from the browser, deleted after the check (C29).
    ask("rectification", "ada@example.com")
    confirm_from_email("ada@example.com", 5)
    ada_case = re.search(r"/privacy-centre/requests/([0-9a-f-]+)", driver.current_url).group(1)
    status, _ = api("POST", f"/v1/requests/{ada_case}/actions", {"action": "ask_for_documents", "reason": "The name given differs from our records"})
    check("staff ask for a document with the doubt recorded", status == 200, status)
    driver.refresh()
    wait.until(EC.presence_of_element_located((By.ID, "document")))
    scan = work / "passport.png"
    scan.write_bytes(bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + bytes(4000))
    driver.find_element(By.ID, "document").send_keys(str(scan))
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "form[enctype='multipart/form-data'] button").click()
    wait.until(replaced(page))
    check("the browser's upload is received", "we have your document" in driver.find_element(By.ID, "notice").text, driver.page_source[:2000])
    status, _ = api("POST", f"/v1/requests/{ada_case}/actions", {"action": "verify", "method": "document_check", "reason": "Passport seen"})
    status, case = api("GET", f"/v1/requests/{ada_case}")
    actions = [event["action"] for event in case.get("history", [])]
    check("recording the check deletes the document", actions[-3:] == ["document_received", "verify", "documents_deleted"], actions)
    status, _ = api("POST", f"/v1/requests/{ada_case}/actions", {"action": "complete", "reason": "Name corrected"})
    check("the case is closed", status == 200, status)

    # --- The admin console: sign in, the queue, a case, a refused action, completion.
    ask("rectification", "bob@example.com")
    confirm_from_email("bob@example.com", 1)
    check("a rectification waits for staff after confirmation", driver.find_element(By.ID, "status").text == "We are working on it",
          driver.find_element(By.ID, "status").text)
    driver.get(URL + "/admin/requests")
    check("the console needs signing in", "auth.missing" in driver.page_source)
    driver.get(URL + "/admin/sign-in")
    driver.find_element(By.ID, "key").send_keys("pk_not_a_key")
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "form.console button").click()
    wait.until(replaced(page))
    check("a wrong key is refused on the sign-in page", "unknown or has been revoked" in driver.find_element(By.ID, "form-error").text)
    # Issue 29 §7: before signing in, a breach past 48 hours, a disclosure awaiting a decision and a hold, so today's page has them.
    aware = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 50 * 3600))
    status, _ = api("POST", "/v1/breaches", {"awareAt": aware, "facts": "A laptop with the enquiries export was stolen <b>on the train</b>",
                                             "categories": ["user.contact.email"]})
    assert status == 201, status
    status, _ = api("POST", "/v1/disclosures", {"requester": "law_enforcement", "requesterName": "Thames Valley Police",
                                                "verification": "Called back the force control room", "ground": "crime",
                                                "necessity": "Tracing a suspect in a fraud; without it the investigation would be prejudiced",
                                                "categories": ["user.contact.email"], "subjects": [ada]})
    assert status == 201, status
    status, _ = api("POST", "/v1/retention/holds", {"scope": "subject", "target": ada, "reason": "Claim 2027-14 in the county court"})
    assert status == 201, status
    driver.find_element(By.ID, "key").send_keys(admin)
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "form.console button").click()
    wait.until(replaced(page))
    cookie = driver.get_cookie("pledge_admin") or {}
    check("signing in keeps a session (never the key) in an HttpOnly, SameSite=Strict cookie for /admin",
          cookie.get("httpOnly") is True and cookie.get("sameSite") == "Strict" and cookie.get("path") == "/admin"
          and cookie.get("value") and cookie.get("value") != admin, {k: v for k, v in cookie.items() if k != "value"})
    check("the DPO lands on today's page", driver.current_url.rstrip("/").endswith("/admin"), driver.current_url)
    home_requests = driver.find_element(By.ID, "home-requests").text
    check("today's page counts the open requests", "1 open" in home_requests, home_requests)
    home_breaches = driver.find_element(By.ID, "home-breaches").text
    check("today's page shows the breach escalated on the ICO clock, its wording as text", "Escalated: ICO due by" in home_breaches
          and "<b>on the train</b>" in home_breaches, home_breaches)
    home_disclosures = driver.find_element(By.ID, "home-disclosures").text
    check("today's page shows the disclosure awaiting a second person's decision",
          "Thames Valley Police" in home_disclosures and "DPA 2018 Sch 2 para 2" in home_disclosures, home_disclosures)
    home_retention = driver.find_element(By.ID, "home-retention").text
    check("today's page lists the hold in force with its reason", "Claim 2027-14" in home_retention, home_retention)
    check("today's page lists contracts and reviews", driver.find_element(By.ID, "home-reviews").is_displayed())
    if SHOTS:
        size = driver.get_window_size()
        driver.set_window_size(1200, 1900)
        driver.save_screenshot(str(SHOTS / "console-home.png"))
        driver.set_window_size(size["width"], size["height"])
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "#home-requests h2 a").click()
    wait.until(replaced(page))
    rows = driver.find_elements(By.CSS_SELECTOR, "#queue tbody tr")
    check("the queue lists Bob's open rectification", len(rows) == 1 and "Correction of your data" in rows[0].text, [r.text for r in rows])
    if SHOTS:
        driver.save_screenshot(str(SHOTS / "console-queue.png"))
    page = driver.find_element(By.TAG_NAME, "html")
    rows[0].find_element(By.TAG_NAME, "a").click()
    wait.until(replaced(page))
    check("the case shows who asked", "bob@example.com" in driver.find_element(By.ID, "requester").text)
    recipients = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#recipients li")]
    check("the case lists the recipients to tell of the correction (Art 19)", len(recipients) >= 2, recipients)

    def record(action, reason="", months=""):
        Select(driver.find_element(By.ID, "action")).select_by_value(action)
        driver.find_element(By.ID, "reason").send_keys(reason)
        driver.find_element(By.ID, "months").send_keys(months)
        page = driver.find_element(By.TAG_NAME, "html")
        driver.find_element(By.CSS_SELECTOR, "#action-form button").click()
        wait.until(replaced(page))

    record("extend", months="3", reason="Many records")
    check("a refused action is shown in words with its code, and nothing changes",
          "case.extension-too-long" in driver.find_element(By.ID, "action-error").text and driver.find_element(By.ID, "state").text == "in progress",
          driver.find_element(By.ID, "action-error").text)
    record("complete", reason="We corrected your company name to Difference Engines.")
    check("completing closes the case", driver.find_element(By.ID, "state").text == "completed", driver.find_element(By.ID, "state").text)
    history = driver.find_element(By.ID, "history").text
    check("the history shows each step with who did it", "complete" in history and "verify" in history and "requester" in history, history)
    if SHOTS:
        driver.save_screenshot(str(SHOTS / "console-case.png"))
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "nav form button").click()
    wait.until(replaced(page))
    driver.get(URL + "/admin/requests")
    check("after signing out the queue needs a key again", "auth.missing" in driver.page_source)
finally:
    driver.quit()
    server.terminate()
    server.wait(timeout=30)
    smtp.stop()

finish()
