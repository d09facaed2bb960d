"""What the browser tests share: PASS/FAIL checks, free ports, and a `pledge serve` started for real."""
import pathlib
import socket
import subprocess
import sys
import time
import urllib.request

failures = []


def check(name, condition, detail=""):
    print(("PASS " if condition else "FAIL ") + name + ("" if condition else f"  [{detail}]"), flush=True)
    if not condition:
        failures.append(name)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_pledge(pledge, arguments, work: pathlib.Path):
    """Runs `pledge serve ARGUMENTS --port P` on a free port, waits for /healthz; returns (process, url)."""
    port = free_port()
    process = subprocess.Popen([pledge, "serve", *arguments, "--port", str(port), "--log-level", "warning"],
                               stdout=open(work / "serve.log", "w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1)
            return process, url
        except OSError:
            time.sleep(0.5)
    print((work / "serve.log").read_text())
    sys.exit("FAIL: pledge serve did not start")


def finish(summary="all passed"):
    print(f"{len(failures)} failed" if failures else summary)
    sys.exit(1 if failures else 0)


def replaced(page):
    """A WebDriverWait condition: true once `page` (an element of the old document) is gone.

    Like selenium's staleness_of, but Chromium sometimes answers a look-up on a node of the
    page being replaced with "Node with given id does not belong to the document" instead of
    a stale-element error; that means the same thing."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    def condition(_driver):
        try:
            page.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
    return condition
