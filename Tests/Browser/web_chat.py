#!/usr/bin/env python3
"""Drives kefu-server's web chat page in headless Chromium at a phone's size, as a customer would.

usage: web_chat.py BASE_URL [SCREENSHOT.png]
Types a question and reads the answer, checks that markup typed is shown as text, asks for a person and reads the
ticket number. Exits 1 with the reason on the first thing that is wrong. Needs Debian's chromium, chromium-driver and
python3-selenium.
"""
import re
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


def fail(message):
    print("web chat: " + message, file=sys.stderr)
    sys.exit(1)


def main():
    base = sys.argv[1]
    screenshot = sys.argv[2] if len(sys.argv) > 2 else None
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=390,844"):
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    wait = WebDriverWait(driver, 20)
    try:
        driver.get(base + "/")
        replies = lambda: driver.find_elements(By.CSS_SELECTOR, ".message.kefu")
        wait.until(lambda _: len(replies()) >= 1)
        greeting = replies()[0].text
        if "Kefu" not in greeting:
            fail("no greeting: %r" % greeting)

        def say(words, count):
            box = driver.find_element(By.ID, "text")
            box.send_keys(words)
            box.send_keys(Keys.ENTER)
            wait.until(lambda _: len(replies()) >= count)
            return replies()[count - 1].text

        answer = say("提现多久到账", 2)
        if "到账" not in answer:
            fail("the withdrawal question got %r" % answer)

        # Markup typed by a customer is shown as the characters typed, never run or rendered.
        hostile = '<img src=x onerror="document.title=\'owned\'"><b>bold</b>'
        say(hostile, 3)
        mine = driver.find_elements(By.CSS_SELECTOR, ".message.customer")[-1]
        if mine.text != hostile:
            fail("the customer's line is shown as %r" % mine.text)
        if driver.find_elements(By.CSS_SELECTOR, "#log img, #log b") or driver.title == "owned":
            fail("typed markup became part of the page")

        reply = say("转人工", 4)
        ticket = driver.find_element(By.ID, "ticket")
        wait.until(lambda _: ticket.is_displayed())
        number = re.search(r"T\d{8}-\d{4,}", ticket.text)
        if not number or number.group(0) not in reply:
            fail("the handoff shows %r, the reply %r" % (ticket.text, reply))
        # Replies keep their line breaks, and the page fits a phone's width.
        if "\n" not in reply:
            fail("the handoff reply lost its line breaks: %r" % reply)
        width = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            fail("the page is wider than the phone's screen: %r" % width)
        composer = driver.find_element(By.ID, "composer").rect
        if composer["y"] + composer["height"] > 844 + 1:
            fail("the message box is below the screen: %r" % composer)
        if screenshot:
            driver.save_screenshot(screenshot)
        print("web chat: ok; ticket " + number.group(0))
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
