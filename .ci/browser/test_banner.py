"""Issue 4 in a real browser: the consent banner, script blocking, click-to-load, GPC, Consent Mode,
withdrawal, keyboard use, cookieless statistics and the dashboard, in headless Chromium against a real
`pledge serve` (SQLite) and a test site on another origin.

usage: test_banner.py PLEDGE_BINARY [SCREENSHOT_DIR]

Every check prints PASS or FAIL; the exit status is 1 if any failed.
"""
import http.server
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from harness import check, failures, finish, free_port, start_pledge
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PLEDGE = sys.argv[1]
SHOTS = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else None
BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"
TRACKER_HOSTS = ["analytics.example.net", "ads.example.net", "social.example.com", "youtube-nocookie.com", "player.vimeo.com"]


# --- Pledge, on SQLite, with the compliant example plus an analytics script, an ad cookie, a social
# button and a YouTube embed.
work = pathlib.Path(tempfile.mkdtemp(prefix="pledge-browser-"))
declaration = work / "pledge.yaml"
text = (ROOT / "examples/compliant.yaml").read_text()
text = text.replace("technologies:\n", "technologies:\n" + (HERE / "technologies.yaml").read_text(), 1)
declaration.write_text(text)
database = str(work / "pledge.sqlite")
key_file = work / "master.key"
key_file.write_text("11" * 32)
common = ["--database", database, "--master-key-file", str(key_file)]
admin = subprocess.run([PLEDGE, "keys", "create", "--name", "browser-test", "--role", "admin", *common],
                       check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
site_port = free_port()
server, PLEDGE_URL = start_pledge(PLEDGE, ["--declaration", str(declaration), *common], work)

# --- The test site, on another origin (localhost instead of 127.0.0.1).
site = work / "site"
shutil.copytree(HERE / "site", site)
(site / "index.html").write_text((site / "index.html.in").read_text().replace("@PLEDGE@", PLEDGE_URL))
(site / "blog.html").write_text((site / "index.html").read_text().replace("Test shop</h1>", "Blog</h1>"))


class Quiet(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(site), **kwargs)

    def log_message(self, *args):
        pass


httpd = http.server.ThreadingHTTPServer(("127.0.0.1", site_port), Quiet)
threading.Thread(target=httpd.serve_forever, daemon=True).start()
SITE = f"http://localhost:{site_port}"


def api(path, method="GET", body=None, headers=None):
    request = urllib.request.Request(PLEDGE_URL + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {admin}", "Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=10) as response:
        raw = response.read()
        return response.status, dict(response.headers), (json.loads(raw) if raw else None)


def browser(gpc=False):
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", f"--user-agent={BROWSER_UA}",
                     # Nothing may leave this machine: every other host fails to resolve (and is still logged).
                     "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]:
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    if gpc:
        # Chromium has no GPC switch: send the header and expose the property, as GPC browsers do.
        driver.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {"Sec-GPC": "1"}})
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                               {"source": "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true});"})
    return driver


def requests(driver):
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def tracker_requests(urls):
    return [u for u in urls if any(host in u for host in TRACKER_HOSTS) or u.endswith("/analytics.js")]


def wait(driver, condition, timeout=10):
    WebDriverWait(driver, timeout).until(lambda d: condition(d))


def dialog_open(driver):
    return driver.execute_script("var d = document.querySelector('dialog.pledge-dialog'); return !!(d && d.open);")


def active(driver, attribute):
    return driver.execute_script(f"return document.activeElement && document.activeElement.getAttribute('{attribute}');")


def settled_after_objection(driver):
    """After an answer that objects to the appearance exception: the page has reloaded (its script had
    run), the theme script stayed blocked, and the answer is recorded."""
    return js(driver, "document.readyState") == "complete" and js(driver, "window.themeRan") is None and consent_id(driver) and not dialog_open(driver)


def consent_id(driver):
    return driver.execute_script("return window.Pledge.consentId();")


def record(driver):
    return api(f"/v1/consents/{consent_id(driver)}")[2]


def js(driver, expression):
    return driver.execute_script("return " + expression + ";")


# WCAG 2.2 SC 1.4.3 (text contrast, AA): the contrast ratio of every element with text of its own
# under `selector`, against the first opaque background behind it, with the ratio it needs
# (3:1 for large text: 24px, or 18.66px bold; 4.5:1 otherwise). Formula: WCAG 2.2 "relative luminance".
CONTRAST = """
var rgb = function (s) { return s.match(/[\\d.]+/g).map(Number); };
var lum = function (c) { var a = c.slice(0, 3).map(function (v) { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * a[0] + 0.7152 * a[1] + 0.0722 * a[2]; };
var ratio = function (x, y) { var a = lum(x), b = lum(y); return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); };
var back = function (e) { for (; e; e = e.parentElement) { var c = rgb(getComputedStyle(e).backgroundColor); if (c.length < 4 || c[3] > 0) return c; } return [255, 255, 255]; };
return [].filter.call(document.querySelectorAll(arguments[0]), function (e) {
  return e.getClientRects().length && [].some.call(e.childNodes, function (n) { return n.nodeType === 3 && n.textContent.trim(); });
}).map(function (e) {
  var s = getComputedStyle(e), size = parseFloat(s.fontSize), large = size >= 24 || (parseInt(s.fontWeight) >= 700 && size >= 18.66);
  return [e.tagName + '.' + e.className, Math.round(ratio(rgb(s.color), back(e)) * 100) / 100, large ? 3 : 4.5];
});
"""


def low_contrast(driver, selector):
    """The elements under `selector` whose text contrast is below WCAG 2.2 AA, and how many were measured."""
    measured = driver.execute_script(CONTRAST, selector)
    return [m for m in measured if m[1] < m[2]], len(measured)


def contrast_on_white(css_colour):
    """The WCAG contrast ratio of an rgb()/rgba() colour against white."""
    def channel(v):
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = [float(x) for x in css_colour[css_colour.index("(") + 1:].rstrip(")").split(",")[:3]]
    return 1.05 / (0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b) + 0.05)


def click(driver, selector):
    driver.find_element(By.CSS_SELECTOR, selector).click()


try:
    # 1. First visit: the banner asks; nothing optional has run, been stored or been fetched.
    driver = browser()
    driver.get(SITE + "/index.html")
    wait(driver, dialog_open)
    urls = requests(driver)
    check("first visit: the banner is a modal dialog", dialog_open(driver))
    check("first visit: no cookie at all (the consent cookie waits for a choice)", driver.get_cookies() == [], driver.get_cookies())
    check("first visit: nothing in localStorage but the appearance exception's declared key",
          js(driver, "Object.keys(localStorage)") == ["nw_theme"] and js(driver, "window.themeRan") is True, js(driver, "Object.keys(localStorage)"))
    # ECR-09/CLQ-11: an analytics tag (Google Analytics in the seeds) is fetched and run only after analytics consent.
    # CLQ-15/ECR-12/CAM-17: before a choice nothing is fetched from a social-network, tracker or embed host,
    # including third parties' scripts the site places; CLQ-16/CLQ-17: embeds wait behind click-to-load placeholders.
    check("first visit: no request to any tracker or embed host, and the analytics script is not fetched", tracker_requests(urls) == [], tracker_requests(urls))
    check("first visit: blocked scripts did not run", js(driver, "window.analyticsRan") is None and js(driver, "window.adsRan") is None)
    check("first visit: embeds have no src and show a click-to-load placeholder",
          js(driver, "[].every.call(document.querySelectorAll('iframe'), function (f) { return !f.getAttribute('src'); })")
          and js(driver, "document.querySelectorAll('.pledge-embed').length") == 2)
    default = json.loads(js(driver, "JSON.stringify([].slice.call(dataLayer[0]))"))
    check("Consent Mode v2: defaults are denied before any Google tag", default[:2] == ["consent", "default"]
          and all(default[2][k] == "denied" for k in ["ad_storage", "ad_user_data", "ad_personalization", "analytics_storage"]), default)
    roles = js(driver, "(function(d){return [d.tagName, d.getAttribute('aria-modal'), document.getElementById(d.getAttribute('aria-labelledby')).textContent, !!document.getElementById(d.getAttribute('aria-describedby'))]})(document.querySelector('dialog.pledge-dialog'))")
    check("ARIA: a dialog, modal, labelled by its title and described by its text", roles[0] == "DIALOG" and roles[1] == "true" and roles[2] and roles[3], roles)
    styles = js(driver, "[].map.call(document.querySelectorAll('.pledge-dialog .pledge-actions button'), function (b) { var s = getComputedStyle(b); return [b.dataset.act, s.backgroundColor, s.color, s.fontSize, b.offsetHeight]; })")
    accept = next(s for s in styles if s[0] == "accept")
    reject = next(s for s in styles if s[0] == "reject")
    check("first layer: Accept all and Reject all look the same (equal prominence)", accept[1:] == reject[1:], styles)
    low, measured = low_contrast(driver, ".pledge-dialog, .pledge-dialog *, .pledge-settings, .pledge-embed *")
    check("WCAG 2.2 AA: every text of the first layer, the settings button and the placeholders has enough contrast", measured >= 8 and low == [], (measured, low))
    driver.switch_to.active_element.send_keys(Keys.TAB)
    ring = js(driver, "(function(s){return [s.outlineStyle, s.outlineColor]})(getComputedStyle(document.activeElement))")
    check("WCAG 2.2 AA (SC 1.4.11): the keyboard focus ring has at least 3:1 against the dialog's white",
          ring[0] == "solid" and contrast_on_white(ring[1]) >= 3, (ring, contrast_on_white(ring[1])))
    driver.switch_to.active_element.send_keys(Keys.SHIFT, Keys.TAB)
    check("statistics: the cookieless counter runs under the statistical exception before a choice",
          any(u.startswith(PLEDGE_URL + "/v1/collect") for u in urls), [u for u in urls if "collect" in u])
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SHOTS / "banner.png"))

    # 2. Reject all: nothing optional runs; the ledger holds the refusal; the consent cookie is set.
    # CLQ-09/CAM-19/ECR-15/APX-21: reject-all is on the first layer of the site's own control, beside accept-all.
    click(driver, ".pledge-dialog [data-act=reject]")
    # Rejecting objects to the appearance exception too: its key is deleted and the page reloads.
    wait(driver, settled_after_objection, 15)
    time.sleep(0.5)
    check("Reject all: the appearance key is deleted", js(driver, "localStorage.length") == 0, js(driver, "Object.keys(localStorage)"))
    rejected = record(driver)
    check("Reject all: every category is off in the ledger", rejected["state"] and not any(rejected["state"].values()), rejected["state"])
    check("Reject all: one ledger event per category, from the banner, with the banner version",
          len([e for e in rejected["events"] if e["action"] == "withdrawn"]) >= len(rejected["state"])
          and all(e["wordingSha256"] == rejected["bannerVersion"] for e in rejected["events"]), rejected["events"][:2])
    check("Reject all: only the strictly necessary consent cookie is set", [c["name"] for c in driver.get_cookies()] == ["pledge_consent"], driver.get_cookies())
    check("Reject all: scripts stay blocked", js(driver, "window.analyticsRan") is None and js(driver, "window.adsRan") is None)

    # 3. Next page: no banner; the persistent settings button is there; Accept all from it.
    driver.get(SITE + "/blog.html")
    time.sleep(1)
    check("after a choice: the banner does not ask again", not dialog_open(driver))
    # CAM-20/ECR-16/ECR-07: with every optional category refused, the next page works in full (no account, no form).
    check("after Reject all: the next page shows its content and its links",
          driver.find_element(By.TAG_NAME, "h1").text == "Blog" and "Our products" in driver.find_element(By.TAG_NAME, "main").text
          and driver.find_elements(By.CSS_SELECTOR, "main a[data-pledge-settings]") != [],
          driver.find_element(By.TAG_NAME, "main").text[:200])
    check("after a choice: a persistent Privacy settings button", js(driver, "document.querySelector('.pledge-settings').textContent") == "Privacy settings")
    click(driver, ".pledge-settings")
    wait(driver, dialog_open)
    click(driver, ".pledge-dialog [data-act=accept]")
    wait(driver, lambda d: js(d, "window.analyticsRan") is True)
    time.sleep(0.5)
    accepted = record(driver)
    urls = requests(driver)
    check("Accept all: the analytics script and the advertising script ran", js(driver, "window.analyticsRan") is True and js(driver, "window.adsRan") is True)
    check("Accept all: embeds load from their hosts", any("youtube-nocookie.com/embed" in u for u in urls) and any("social.example.com" in u for u in urls),
          tracker_requests(urls))
    check("Accept all: the ledger has every category on, for the same consent id", all(accepted["state"].values()) and accepted["consentId"] == rejected["consentId"], accepted["state"])
    update = json.loads(js(driver, "JSON.stringify(dataLayer.filter(function (e) { return e[0] === 'consent' && e[1] === 'update'; }).pop()[2])"))
    check("Consent Mode v2: updated to granted", set(update.values()) == {"granted"} and len(update) == 6, update)
    check("Accept all: the scripts' cookies are set", {"_ads", "_pa_id"} <= {c["name"] for c in driver.get_cookies()}, driver.get_cookies())

    # CLQ-08: withdrawal in the site's control deletes the category's cookie at once.
    # 4. Per-purpose withdrawal: advertising off from the settings; its cookie is deleted, the page
    # reloads so its script stops, and the other purposes stay on.
    click(driver, ".pledge-settings")
    wait(driver, dialog_open)
    driver.find_element(By.ID, "pledge-c-advertising").click()
    click(driver, ".pledge-dialog [data-act=save]")
    wait(driver, lambda d: js(d, "document.readyState") == "complete" and js(d, "window.adsRan") is None and js(d, "window.analyticsRan") is True, 15)
    time.sleep(0.5)
    withdrawn = record(driver)
    cookies = {c["name"] for c in driver.get_cookies()}
    check("withdrawal: advertising is off in the ledger, statistics still on", withdrawn["state"]["advertising"] is False and withdrawn["state"]["statistical"] is True, withdrawn["state"])
    check("withdrawal: the advertising cookie was deleted, the analytics cookie kept", "_ads" not in cookies and "_pa_id" in cookies, cookies)
    check("withdrawal: after the reload the advertising script does not run", js(driver, "window.adsRan") is None)

    # 5. Per-service choice: of the two embedded-content services, only YouTube.
    click(driver, ".pledge-settings")
    wait(driver, dialog_open)
    driver.execute_script("document.querySelector('.pledge-cat details:has(#pledge-s-video)') && (document.querySelector('#pledge-s-video').closest('details').open = true);")
    if driver.find_element(By.ID, "pledge-s-video").is_selected():
        driver.find_element(By.ID, "pledge-s-video").click()
    click(driver, ".pledge-dialog [data-act=save]")
    time.sleep(1.5)
    per_service = record(driver)
    check("per-service: YouTube on and Vimeo off, recorded per service", per_service["services"]["youtube"] is True and per_service["services"]["video"] is False,
          per_service["services"])
    driver.quit()

    # 6. Keyboard only: the whole flow without a mouse; focus stays in the dialog and returns.
    driver = browser()
    driver.get(SITE + "/index.html")
    wait(driver, dialog_open)
    check("keyboard: focus starts inside the dialog", js(driver, "document.querySelector('dialog.pledge-dialog').contains(document.activeElement)"))
    body = driver.switch_to.active_element
    inside = True
    for _ in range(12):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        inside = inside and js(driver, "document.querySelector('dialog.pledge-dialog').contains(document.activeElement)")
    check("keyboard: Tab stays trapped in the dialog", inside)
    for _ in range(12):
        if active(driver, "data-act") == "manage":
            break
        driver.switch_to.active_element.send_keys(Keys.TAB)
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    wait(driver, lambda d: d.execute_script("return !!document.getElementById('pledge-c-social')"))
    for _ in range(30):
        if active(driver, "data-cat") == "social":
            break
        driver.switch_to.active_element.send_keys(Keys.TAB)
    check("keyboard: the category switches are reachable with Tab", active(driver, "data-cat") == "social")
    low, measured = low_contrast(driver, ".pledge-dialog, .pledge-dialog *")
    check("WCAG 2.2 AA: every text among the choices has enough contrast", measured >= 10 and low == [], (measured, low))
    driver.switch_to.active_element.send_keys(Keys.SPACE)  # turns social media on
    for _ in range(40):
        if active(driver, "data-act") == "save":
            break
        driver.switch_to.active_element.send_keys(Keys.TAB)
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    wait(driver, lambda d: consent_id(d) and not dialog_open(d))
    wait(driver, lambda d: js(d, "document.querySelector('iframe[title=\"Share on SocialNet\"]').getAttribute('src')") is not None)
    keyboard = record(driver)
    check("keyboard: the choice was saved (social on, advertising off) and the share button loaded",
          keyboard["state"]["social"] is True and keyboard["state"]["advertising"] is False, keyboard["state"])
    for _ in range(30):
        if js(driver, "document.activeElement.className") == "pledge-settings":
            break
        driver.switch_to.active_element.send_keys(Keys.TAB)
    check("keyboard: the Privacy settings button is reachable", js(driver, "document.activeElement.className") == "pledge-settings")
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    wait(driver, dialog_open)
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    time.sleep(0.3)
    driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(driver, lambda d: not dialog_open(d))
    check("keyboard: Escape closes the dialog and focus returns to the settings button", js(driver, "document.activeElement.className") == "pledge-settings")
    driver.quit()

    # 7. Click-to-load: the placeholder asks for that one service only.
    driver = browser()
    driver.get(SITE + "/index.html")
    wait(driver, dialog_open)
    click(driver, ".pledge-dialog [data-act=reject]")
    wait(driver, settled_after_objection, 15)
    time.sleep(0.5)
    check("click-to-load: nothing fetched from YouTube before the click", not any("youtube" in u for u in requests(driver)))
    driver.find_element(By.XPATH, "//button[contains(., 'Load content from YouTube')]").click()
    wait(driver, lambda d: js(d, "document.querySelector('iframe[title=\"Product video\"]').getAttribute('src')") is not None)
    time.sleep(0.5)
    loaded = record(driver)
    check("click-to-load: the click loads the embed and is recorded for that service only",
          loaded["services"]["youtube"] is True and loaded["services"]["video"] is False and loaded["services"]["share"] is False, loaded["services"])
    driver.quit()

    # 8. Global Privacy Control: advertising stays off whatever is clicked; statistics are not collected.
    driver = browser(gpc=True)
    driver.get(SITE + "/index.html")
    wait(driver, dialog_open)
    check("GPC: the banner says the signal is honoured", "Global Privacy Control" in driver.find_element(By.CSS_SELECTOR, "dialog.pledge-dialog").text)
    click(driver, ".pledge-dialog [data-act=accept]")
    wait(driver, lambda d: consent_id(d) and js(d, "window.analyticsRan") is True)
    time.sleep(0.5)
    gpc = record(driver)
    mechanisms = {e["mechanism"] for e in gpc["events"] if e["purpose"] == "storage:advertising"}
    check("GPC: advertising and social stay off after Accept all, recorded as gpc", gpc["state"]["advertising"] is False and gpc["state"]["social"] is False and mechanisms == {"gpc"},
          (gpc["state"], mechanisms))
    check("GPC: the advertising script did not run", js(driver, "window.adsRan") is None)
    check("GPC: the statistics tracker sent nothing", not any("/v1/collect" in u for u in requests(driver)))
    driver.quit()

    # CAM-18: the appearance (preference) storage runs under its exception with notice and a one-click objection.
    # 9. The Sch A1 exceptions (DUAA 2025): said on the first layer, each with a one-click objection;
    # objecting to statistics stops the tracker, objecting to appearance deletes its key.
    driver = browser()
    driver.get(SITE + "/index.html")
    wait(driver, dialog_open)
    urls = []
    wait(driver, lambda d: urls.extend(requests(d)) or any("/v1/collect" in u for u in urls))
    notes = js(driver, "[].map.call(document.querySelectorAll('.pledge-dialog .pledge-exception'), function (p) { return [p.querySelector('[data-act=object]').dataset.cat, p.textContent]; })")
    check("exceptions: the first layer says what runs without consent, each with an objection button",
          sorted(n[0] for n in notes) == ["preference", "statistical"] and all("object" in n[1].lower() for n in notes), notes)
    check("exceptions: the first layer's focus is on the answers, not on an objection", active(driver, "data-act") == "accept")
    click(driver, ".pledge-dialog [data-act=object][data-cat=preference]")
    wait(driver, settled_after_objection, 15)
    time.sleep(0.5)
    objected = record(driver)
    check("one click: the appearance objection is in the ledger; the counter stays on under its exception, and no consent is inferred for the analytics script",
          objected["state"]["preference"] is False and objected["services"]["statistics"] is True and objected["services"]["analytics"] is False
          and any(e["purpose"] == "storage:preference" and e["action"] == "withdrawn" for e in objected["events"]), objected["state"])
    check("one click: the appearance key is deleted and, after the reload, its script did not run",
          js(driver, "localStorage.getItem('nw_theme')") is None and js(driver, "window.themeRan") is None)
    requests(driver)
    click(driver, ".pledge-settings")
    wait(driver, dialog_open)
    click(driver, ".pledge-dialog [data-act=object][data-cat=statistical]")
    wait(driver, lambda d: not dialog_open(d))
    time.sleep(1)
    objected = record(driver)
    check("one click from the settings: the statistics objection is in the ledger", objected["services"]["statistics"] is False, objected["services"])
    requests(driver)
    driver.get(SITE + "/blog.html")
    time.sleep(1.5)
    urls = requests(driver)
    check("statistics objection: on the next page pledge.js loads and sends nothing (it reads the consent cookie)",
          any(u.endswith("/pledge.js") for u in urls) and not any("/v1/collect" in u for u in urls), urls)
    driver.quit()

    # 10. Statistics: more visitors (other user agents), bots refused, k-suppression, the dashboard.
    agents = [BROWSER_UA.replace("130.0", f"{120 + i}.0") for i in range(8)] + [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"]
    for index, agent in enumerate(agents):
        for page in ["/", "/pricing", "/blog/launch"] if index < 6 else ["/", "/rare-page"]:
            request = urllib.request.Request(PLEDGE_URL + "/v1/collect", method="POST", data=json.dumps(
                {"s": "localhost", "p": page, "r": "https://www.search.example/?q=shop", "w": 390 if "iPhone" in agent else 1440,
                 "uc": "autumn" if index % 2 else None}).encode(), headers={"Content-Type": "text/plain;charset=UTF-8", "User-Agent": agent})
            urllib.request.urlopen(request, timeout=5).read()
    bot = urllib.request.urlopen(urllib.request.Request(PLEDGE_URL + "/v1/collect", method="POST", data=b'{"s":"localhost","p":"/"}',
                                                        headers={"Content-Type": "text/plain", "User-Agent": "Googlebot/2.1 (+http://www.google.com/bot.html)"}), timeout=5)
    check("statistics: bots are not counted", bot.headers.get("X-Pledge-Skipped") == "collect.bot", dict(bot.headers))
    time.sleep(3)  # the collector writes every two seconds
    status, _, stats = api("/v1/statistics?days=1")
    pages = {e["value"]: e for e in stats["breakdowns"].get("page", [])}
    check("statistics: views counted by page, with visitors", pages.get("/", {}).get("visitors", 0) >= 9 and pages.get("/pricing", {}).get("views") == 6, pages)
    check("statistics: a page seen by fewer than k visitors is suppressed", "/rare-page" not in pages and stats["suppressedCells"] > 0, (list(pages), stats["suppressedCells"]))
    check("statistics: referrers reduced to their host", [e["value"] for e in stats["breakdowns"].get("referrer", [])] == ["search.example"], stats["breakdowns"].get("referrer"))
    driver = browser()
    driver.set_window_size(1280, 1500)
    # Signed in through the console's form, as a person does: the cookie names a session, not the key.
    driver.get(PLEDGE_URL + "/admin/sign-in")
    driver.find_element(By.ID, "key").send_keys(admin)
    driver.find_element(By.CSS_SELECTOR, "form.console button").click()
    WebDriverWait(driver, 10).until(lambda d: "/admin/statistics" in d.current_url or "/admin/requests" in d.current_url
                                    or d.current_url.rstrip("/").endswith("/admin"))
    driver.get(PLEDGE_URL + "/admin/statistics?days=1")
    bars = driver.find_elements(By.CSS_SELECTOR, "svg.chart rect.bar")
    check("dashboard: a server-rendered SVG chart with one bar per hour", len(bars) == 24, len(bars))
    check("dashboard: top pages listed", "/pricing" in driver.find_element(By.ID, "b-page").find_element(By.XPATH, "..").text)
    if SHOTS:
        driver.save_screenshot(str(SHOTS / "dashboard.png"))
    driver.quit()
finally:
    server.terminate()
    server.wait(timeout=10)
    httpd.shutdown()

finish("all browser checks passed")
