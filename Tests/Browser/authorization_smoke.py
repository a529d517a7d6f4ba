"""Headless Chromium drives the authorization pages and the portal of a running gateway.

Usage: python authorization_smoke.py BASE CLIENT_ID CLIENT_SECRET REDIRECT_URI EMAIL PASSWORD
Prints one JSON object with what happened; the Swift test (BrowserSmokeTests) judges it.
Needs chromium, chromium-driver (Debian) and selenium (PyPI).
"""
import base64
import hashlib
import json
import sys
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

base, client_id, secret, redirect, email, password = sys.argv[1:7]
verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
options = webdriver.ChromeOptions()
for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage"]:
    options.add_argument(argument)
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
result = {}
try:
    query = urllib.parse.urlencode({"response_type": "code", "client_id": client_id, "redirect_uri": redirect,
                                    "scope": "ledger:read", "state": "state with spaces & more",
                                    "code_challenge": challenge, "code_challenge_method": "S256"})
    driver.get(base + "/oauth/authorize?" + query)
    result["login_title"] = driver.title
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    # A click that submits a form does not wait for the next page: wait for it.
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "button[value=approve]"))
    result["consent_title"] = driver.title
    driver.find_element(By.CSS_SELECTOR, "button[value=approve]").click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url.startswith(redirect))
    callback = driver.current_url
    result["callback"] = callback
    parameters = urllib.parse.parse_qs(urllib.parse.urlparse(callback).query)
    result["state"] = parameters.get("state", [None])[0]
    form = urllib.parse.urlencode({"grant_type": "authorization_code", "code": parameters["code"][0],
                                   "code_verifier": verifier, "redirect_uri": redirect, "client_id": client_id,
                                   "client_secret": secret}).encode()
    answer = json.loads(urllib.request.urlopen(base + "/oauth/token", form).read())
    result["token_scope"] = answer.get("scope")
    result["has_refresh_token"] = "refresh_token" in answer

    driver.get(base + "/portal")
    result["portal_title"] = driver.title
    driver.get(base + "/portal/apps/new")
    driver.find_element(By.NAME, "name").send_keys("Browser-made app")
    driver.find_element(By.CSS_SELECTOR, "input[value='ledger:read']").click()
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CLASS_NAME, "secret"))
    result["created_title"] = driver.title
    result["secrets_shown"] = len(driver.find_elements(By.CLASS_NAME, "secret"))
    result["csp_violations"] = [entry["message"] for entry in driver.get_log("browser")
                                if "Content Security Policy" in entry["message"]]
except Exception as error:  # reported to the Swift test, which fails with it
    result["error"] = repr(error)[:500]
finally:
    driver.quit()
print(json.dumps(result))
