"""The web console in a real browser: Debian's chromium, headless, driven by selenium through
Debian's chromium-driver, against local-runner and a mock OpenRouter.

Every step asserts on what the page shows. The browser's own network log records every request
the page makes: a 5xx, or a 404 anywhere but a not-yet-written usage row, fails the run, and so
does any script error or Content-Security-Policy violation in the browser's console.

Configuration comes from the environment (ConsoleBrowserTests.swift sets it); screenshots go to
SCREENSHOT_DIR. Bounded: every wait has a timeout and the whole run an alarm.
"""

import json
import os
import re
import signal
import sys
import time
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ["CONSOLE_URL"].rstrip("/") + "/"
USER_TOKEN = os.environ["USER_TOKEN"]
SERVICE_TOKEN = os.environ.get("SERVICE_TOKEN", "")
USER_ID = os.environ["USER_ID"]
VALID_KEY = os.environ.get("VALID_KEY", "")
REFUSED_KEY = os.environ.get("REFUSED_KEY", "")
REFUSAL_REASON = os.environ.get("REFUSAL_REASON", "")
CATALOGUE_SIZE = int(os.environ.get("CATALOGUE_SIZE", "0"))
CHAT_MODEL = os.environ.get("CHAT_MODEL", "")
STREAM_TEXT = os.environ.get("STREAM_TEXT", "")
PROMPT_TOKENS = int(os.environ.get("PROMPT_TOKENS", "0"))
COMPLETION_TOKENS = int(os.environ.get("COMPLETION_TOKENS", "0"))
XSS_NAME = os.environ.get("XSS_NAME", "")
SHOTS = Path(os.environ["SCREENSHOT_DIR"])
DOWNLOADS = Path(os.environ["DOWNLOAD_DIR"])
PROFILE = os.environ["PROFILE_DIR"]
WAIT = 15

started = time.monotonic()
signal.signal(signal.SIGALRM, lambda *_: (print("FAIL: the browser run exceeded its time bound", flush=True), os._exit(3)))
signal.alarm(int(os.environ.get("RUN_SECONDS", "300")))


def step(name):
    print(f"[{time.monotonic() - started:6.1f}s] {name}", flush=True)


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900",
                     f"--user-data-dir={PROFILE}", "--no-first-run", "--disable-extensions", "--disable-background-networking",
                     "--password-store=basic", "--lang=en-US"]:
        options.add_argument(argument)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(DOWNLOADS), "download.prompt_for_download": False,
        "credentials_enable_service": False, "profile.password_manager_enabled": False, "autofill.profile_enabled": False,
    })
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    driver.set_page_load_timeout(WAIT)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(DOWNLOADS)})
    return driver


driver = browser()
wait = WebDriverWait(driver, WAIT)
requests = []  # every response the page received: (status, method, url)
console_problems = []


def drain_logs():
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.responseReceived":
            response = message["params"]["response"]
            requests.append((response["status"], message["params"].get("type", ""), response["url"]))
    for entry in driver.get_log("browser"):
        text = entry["message"]
        # A function's 4xx is logged by the browser as a failed load; the page handles those itself.
        if entry["level"] == "SEVERE" and "Failed to load resource" not in text:
            console_problems.append(text)


def shot(name):
    drain_logs()
    driver.execute_script("document.getElementById('toasts').replaceChildren()")  # the screen, not the notifications
    path = SHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    step(f"screenshot {path.name}")


def find(css):
    return wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)))


def text_of(css):
    return find(css).text


def wait_text(css, expected, timeout=WAIT):
    try:
        WebDriverWait(driver, timeout, ignored_exceptions=[StaleElementReferenceException]).until(
            lambda d: expected in d.find_element(By.CSS_SELECTOR, css).text)
    except TimeoutException:
        shown = driver.find_elements(By.CSS_SELECTOR, css)
        raise AssertionError(f"{css} never showed {expected!r}; it shows {shown[0].text if shown else '(nothing)'!r}")
    return driver.find_element(By.CSS_SELECTOR, css).text


def click_button(css, label):
    """Clicks the button labelled `label` inside the element `css`, finding both afresh (lists re-render)."""
    for _ in range(20):
        try:
            find(css).find_element(By.XPATH, f".//button[normalize-space()='{label}']").click()
            return
        except StaleElementReferenceException:
            time.sleep(0.1)
    raise AssertionError(f"no stable {label!r} button in {css}")


def toast_with(expected):
    return wait_text("#toasts", expected)


def go(screen):
    driver.execute_script("location.hash = arguments[0]", f"#/{screen}")
    find(f'.screen[data-screen="{screen}"]')


def check(condition, message):
    if not condition:
        shot("failure")
        raise AssertionError(message)


def no_alert():
    try:
        alert = driver.switch_to.alert
        raise AssertionError(f"a script ran from catalogue text: alert {alert.text!r}")
    except NoAlertPresentException:
        pass


def unlabelled_controls():
    return driver.execute_script("""
        return [...document.querySelectorAll('main input, main select, main textarea, dialog input, dialog select, dialog textarea')]
          .filter((el) => el.offsetParent !== null && el.labels.length === 0 && !el.getAttribute('aria-label'))
          .map((el) => el.id || el.outerHTML.slice(0, 80));""")


def assert_accessible(screen):
    missing = unlabelled_controls()
    check(not missing, f"{screen}: inputs without a label: {missing}")


def everyday_tasks():
    """Every task of the issue, in the order a new user meets them."""
    # 1. Sign-in: a bad token is refused with the gateway's reason; a good one shows who you are.
    step("sign in")
    driver.get(BASE)
    find("#token").send_keys("not-a-token")
    find('form button[type="submit"]').click()
    wait_text("#signin-error", "not a JWT")
    token = find("#token")
    token.clear()
    token.send_keys(USER_TOKEN)
    find('form button[type="submit"]').click()
    check(wait_text("#who-sub", USER_ID) == USER_ID, "sign-in does not show the subject")
    check(text_of("#who-role") == "authenticated", "sign-in does not show the role")
    check(driver.execute_script("return sessionStorage.getItem('gateway.token')") == USER_TOKEN, "the token is not in sessionStorage")
    check(driver.execute_script("return localStorage.length") == 0, "something was written to localStorage")
    assert_accessible("sign-in")
    shot("signin")

    # 2. Providers: the empty state, a refused key with the provider's reason, then a good key.
    step("providers: empty state and adding a key")
    go("providers")
    wait_text(".screen", "No provider keys yet")
    check(len(driver.find_elements(By.CSS_SELECTOR, "#catalogue-cards article")) == 5, "the catalogue does not show five providers")
    wait_text('#catalogue-cards article[data-provider="openrouter"]', "aggregator")
    shot("providers-empty")
    # Keyboard: Enter on the focused button opens the dialog, Escape closes it.
    driver.execute_script("document.getElementById('add-provider').focus()")
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    find("dialog[open]")
    check(driver.execute_script("return document.activeElement.closest('dialog') !== null"), "the open dialog does not hold the focus")
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    WebDriverWait(driver, WAIT).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "dialog[open]"))
    find("#add-provider").click()
    Select(find("#add-provider-name")).select_by_value("openrouter")
    key_input = find("#add-provider-key")
    check(key_input.get_attribute("type") == "password", "the key field is not a password field")
    driver.find_element(By.CSS_SELECTOR, '[aria-controls="add-provider-key"]').click()
    check(key_input.get_attribute("type") == "text", "the show toggle does not show the key")
    driver.find_element(By.CSS_SELECTOR, '[aria-controls="add-provider-key"]').click()
    check(key_input.get_attribute("type") == "password", "the hide toggle does not hide the key")
    key_input.send_keys(REFUSED_KEY)
    assert_accessible("add-provider dialog")
    find("#add-provider-submit").click()
    wait_text("#add-provider-error", REFUSAL_REASON)
    shot("providers-refused-key")
    key_input.clear()
    key_input.send_keys(VALID_KEY)
    find("#add-provider-submit").click()
    toast_with(f"OpenRouter key ...{VALID_KEY[-4:]} added.")
    row = find('tr[data-provider="openrouter"]')
    check(f"...{VALID_KEY[-4:]}" in row.text and "healthy" in row.text, f"the new key's row is wrong: {row.text!r}")
    check(VALID_KEY not in driver.page_source and REFUSED_KEY not in driver.page_source, "a key is shown in the page")

    step("providers: test and sync")
    click_button('tr[data-provider="openrouter"]', "Test")
    wait_text('tr[data-provider="openrouter"]', "OK · 200")
    click_button('tr[data-provider="openrouter"]', "Sync models")
    toast_with(f"openrouter: {CATALOGUE_SIZE} added, 0 updated, 0 removed")
    wait_text('tr[data-provider="openrouter"] td.num', str(CATALOGUE_SIZE))
    assert_accessible("providers")
    shot("providers")

    # 3. Models: search, badges, pagination totals, the XSS name shown as text, an override, an alias, discover.
    step("models: explorer")
    go("models")
    wait_text("#model-totals", f"of {CATALOGUE_SIZE} models")
    search = find("#model-search")
    search.send_keys("claude-3.5-haiku")
    wait_text("#model-totals", "of 4 models")
    model = find('[data-model-id="anthropic/claude-3.5-haiku"]')
    check("via OpenRouter" in model.text, f"no aggregator badge: {model.text!r}")
    check("Per 1M tokens" in model.text and "$" in model.text, f"no prices: {model.text!r}")
    check("200K tokens" in model.text, f"no context window: {model.text!r}")
    Select(find("#model-capability")).select_by_value("vision")  # Claude 3.5 Haiku reads text only
    wait_text("#model-list", "No model matches these filters")
    Select(find("#model-capability")).select_by_value("")
    wait_text("#model-totals", "of 4 models")
    search.clear()
    search.send_keys("onerror")
    wait_text("#model-totals", "of 1 model ")
    wait_text("#model-list", XSS_NAME)
    no_alert()
    check(driver.execute_script("return document.querySelectorAll('#model-list img').length") == 0, "catalogue text became an element")
    check(driver.execute_script("return window.__xss === undefined"), "catalogue text ran a script")
    shot("models-xss-as-text")
    search.clear()
    search.send_keys(CHAT_MODEL)
    wait_text("#model-totals", "of 2 models")  # gpt-4o-mini and its dated snapshot
    click_button(f'[data-model-id="{CHAT_MODEL}"]', "Rename")
    check(find("#rename-input").get_attribute("value") == "OpenAI: GPT-4o-mini", "the rename field does not start from the current name")
    find("#rename-input").clear()
    find("#rename-input").send_keys("My fast model")
    find("#rename-input").send_keys(Keys.ENTER)
    toast_with("Shown as “My fast model”.")
    wait_text(f'[data-model-id="{CHAT_MODEL}"]', "My fast model")
    click_button(f'[data-model-id="{CHAT_MODEL}"]', "Disable")
    wait_text(f'[data-model-id="{CHAT_MODEL}"]', "disabled")
    click_button(f'[data-model-id="{CHAT_MODEL}"]', "Enable")
    WebDriverWait(driver, WAIT, ignored_exceptions=[StaleElementReferenceException]).until(lambda d: "disabled" not in d.find_element(By.CSS_SELECTOR, f'[data-model-id="{CHAT_MODEL}"]').text)

    step("models: alias and discover")
    find("#alias-name").send_keys("fast")
    find("#alias-model").send_keys(CHAT_MODEL)
    Select(find("#alias-provider")).select_by_value("openrouter")
    find("#alias-save").click()
    toast_with(f"Alias fast → {CHAT_MODEL} saved.")
    wait_text('tr[data-alias="fast"]', "OpenRouter")
    find("#discover").click()
    wait_text('#discover-result [data-provider="openrouter"]', f"{CATALOGUE_SIZE} unchanged")
    assert_accessible("models")
    search.clear()
    search.send_keys("anthropic/claude-3")
    find('[data-model-id="anthropic/claude-3.5-sonnet"]')
    shot("models")

    # 4. Playground: the alias, a streamed answer that arrives in pieces, then its usage row.
    step("playground")
    go("playground")
    Select(find("#playground-model")).select_by_value("fast")
    find("#playground-message").send_keys("Say hello in pieces.")
    find("#playground-send").click()
    seen = set()
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        shown = driver.execute_script("const a = document.querySelector('[data-latest]'); return a ? a.textContent : ''")
        seen.add(shown)
        if shown == STREAM_TEXT:
            break
        time.sleep(0.05)
    check(STREAM_TEXT in seen, f"the streamed answer never completed: saw {sorted(seen)!r}")
    partial = [text for text in seen if text and text != STREAM_TEXT and STREAM_TEXT.startswith(text)]
    check(partial, f"the answer did not arrive incrementally: saw only {sorted(seen)!r}")
    check(wait_text("#usage-provider", "openrouter") == "openrouter", "the usage panel does not name the provider")
    check(text_of("#usage-prompt") == str(PROMPT_TOKENS), f"prompt tokens: {text_of('#usage-prompt')!r}")
    check(text_of("#usage-completion") == str(COMPLETION_TOKENS), f"completion tokens: {text_of('#usage-completion')!r}")
    check(text_of("#usage-cost").startswith("$"), f"cost: {text_of('#usage-cost')!r}")
    check(text_of("#usage-latency").endswith("ms") and text_of("#usage-ttft").endswith("ms"), "latency or TTFT missing")
    chat_request_id = find("[data-request-id]").get_attribute("data-request-id")
    assert_accessible("playground")
    shot("playground")

    # 5. Budgets: set one, see it listed.
    step("budgets")
    go("budgets")
    wait_text("#budget-list", "No budgets yet")
    find("#budget-save").click()  # nothing set: the function's own message is shown
    wait_text("#budget-error", "Set at least one of")
    find("#budget-monthly").send_keys("5")
    find("#budget-rpm").send_keys("100")
    thresholds = find("#budget-thresholds")
    thresholds.clear()
    thresholds.send_keys("50, 80, 100")
    find("#budget-save").click()
    toast_with("Budget saved.")
    wait_text('#budget-list tr[data-provider=""]', "$5")
    assert_accessible("budgets")
    shot("budgets")

    # 6. Dashboard: the request in the cards, the chart and the model table; the budget; CSV export.
    step("usage dashboard")
    go("usage")
    Select(find("#usage-range")).select_by_value("24h")
    wait_text("#card-requests .value", "1")
    tokens = PROMPT_TOKENS + COMPLETION_TOKENS
    check(text_of("#card-tokens .value") == str(tokens), f"tokens card: {text_of('#card-tokens .value')!r}")
    check(text_of("#card-cost .value").startswith("$"), "cost card")
    check(text_of("#card-latency .value").endswith("ms"), "latency card")
    charted = driver.execute_script("""
        const chart = window.Chart && Chart.getChart(document.getElementById('usage-chart'));
        return chart ? chart.data.datasets[0].data.reduce((a, b) => a + b, 0) : -1;""")
    check(charted == 1, f"the chart counts {charted} requests")
    wait_text(f'#usage-body tr[data-model="fast"]', "1")
    # The playground speaks chat completions: the breakdown by client API names it.
    wait_text('#usage-body tr[data-api="chat"]', "Chat completions")
    wait_text("#budget-status", "of $5.00 this month")
    wait_text("#budget-status", "alert at 80%")
    assert_accessible("usage")
    shot("usage")
    find("#export-csv").click()
    toast_with("Usage exported as CSV.")
    deadline = time.monotonic() + WAIT
    csv_files = []
    while time.monotonic() < deadline and not csv_files:
        csv_files = [path for path in DOWNLOADS.glob("usage-*.csv")]
        time.sleep(0.1)
    check(csv_files, "no CSV was downloaded")
    lines = csv_files[0].read_text().strip().splitlines()
    check(lines[0].startswith("id,created_at,function"), f"CSV header: {lines[0]!r}")
    check(any(line.startswith(chat_request_id + ",") for line in lines[1:]), "the CSV lacks the playground request")

    # 7. Narrow screens: nothing wider than a 390 px phone.
    step("390 px wide")
    driver.set_window_size(390, 844)
    for screen in ["providers", "usage", "playground"]:
        go(screen)
        time.sleep(0.3)
        wide = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        check(wide <= 0, f"{screen} is {wide} px wider than a 390 px screen")
    go("usage")
    find("#card-requests")
    shot("usage-390")
    go("providers")
    find('tr[data-provider="openrouter"]')
    shot("providers-390")
    driver.set_window_size(1280, 900)

    # 8. Removing the key: the confirmation says what is kept, and the removal keeps exactly that.
    step("remove the key")
    go("providers")
    click_button('tr[data-provider="openrouter"]', "Remove")
    confirmation = wait_text("dialog", "usage rows are kept")
    kept = re.search(r"Its (\d+) models stay in the catalogue and its (\d+) usage rows are kept", confirmation)
    check(kept and int(kept.group(1)) == CATALOGUE_SIZE and int(kept.group(2)) >= 1, f"the confirmation: {confirmation!r}")
    shot("providers-remove-confirmation")
    driver.find_element(By.XPATH, "//dialog//button[normalize-space()='Remove key']").click()
    toast_with(f"OpenRouter key removed; {kept.group(1)} models and {kept.group(2)} usage rows kept.")
    wait_text(".screen", "No provider keys yet")

    # 9. A 401 from any function ends the session and says why.
    step("expired session")
    driver.execute_script("sessionStorage.setItem('gateway.token', arguments[0])", USER_TOKEN[:-3] + ("AAA" if not USER_TOKEN.endswith("AAA") else "BBB"))
    driver.execute_script("location.hash = '#/budgets'")
    wait_text("#signin-reason", "signature")

    # 10. The service role, signed in from the URL fragment: the catalogue editor, and the token leaves the address bar.
    step("service role from the URL fragment")
    driver.get(BASE + "#token=" + SERVICE_TOKEN)
    wait_text("#who-role", "service_role")
    check("token=" not in driver.current_url, "the token stayed in the address bar")
    go("catalogue")
    base_url = find("#catalogue-url-openrouter")
    check(base_url.get_attribute("value").startswith("http://127.0.0.1:"), "the catalogue editor does not show the base URL")
    name = find("#catalogue-name-openrouter")
    name.clear()
    name.send_keys("OpenRouter (mock)")
    driver.find_element(By.CSS_SELECTOR, 'form[data-provider="openrouter"] button[type="submit"]').click()
    toast_with("openrouter saved.")
    assert_accessible("catalogue")
    shot("catalogue")
    go("usage")
    find("#usage-user").send_keys(USER_ID + Keys.TAB)
    Select(find("#usage-range")).select_by_value("24h")
    wait_text("#card-requests .value", "1")
    print(f"request-ids: {chat_request_id}", flush=True)


def smoke():
    """Signed in from the URL fragment, every screen renders (behind another web server's configuration)."""
    step("smoke: sign in from the fragment")
    driver.get(BASE + "#token=" + USER_TOKEN)
    wait_text("#who-sub", USER_ID)
    check("token=" not in driver.current_url, "the token stayed in the address bar")
    for screen, heading in [("providers", "Providers"), ("models", "Models"), ("usage", "Usage"), ("budgets", "Budgets"), ("playground", "Playground")]:
        go(screen)
        wait_text(f'.screen[data-screen="{screen}"] h1', heading)
        check(not driver.find_elements(By.CSS_SELECTOR, ".state.error"), f"{screen} shows an error: {driver.find_element(By.TAG_NAME, 'body').text[:500]}")
    go("usage")
    charted = driver.execute_script("return !!(window.Chart && Chart.getChart(document.getElementById('usage-chart')))")
    check(charted, "Chart.js did not draw the usage chart")
    shot("usage")

def final_checks():
    """What the browser recorded: every request the page made, every console message."""
    drain_logs()
    functions = [(status, url) for status, kind, url in requests if "/functions/v1/" in url]
    check(functions, "the browser log recorded no function requests")
    server_errors = [(status, url) for status, url in functions if status >= 500]
    check(not server_errors, f"5xx answers: {server_errors}")
    not_found = [(status, url) for status, url in functions if status == 404 and "/usage-stats/requests/" not in url]
    check(not not_found, f"404 answers: {not_found}")
    static_missing = [(status, url) for status, kind, url in requests if "/functions/v1/" not in url and status >= 400]
    check(not static_missing, f"console files missing: {static_missing}")
    check(not console_problems, f"browser console errors (script errors, CSP violations): {console_problems}")
    print(f"ok: {len(functions)} function requests, {len(requests)} responses in all, {time.monotonic() - started:.1f}s", flush=True)


try:
    if os.environ.get("CONSOLE_CHECK") == "smoke":
        smoke()
    else:
        everyday_tasks()
    final_checks()
except Exception:
    try:
        shot("failure")
        print("page text at the failure:\n" + driver.find_element(By.TAG_NAME, "body").text[:3000], flush=True)
    finally:
        raise
finally:
    driver.quit()
