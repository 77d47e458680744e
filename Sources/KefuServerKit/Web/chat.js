// The web chat: one conversation per browser tab (its id and token kept in sessionStorage, so a reload continues it).
// Everything shown is set with textContent: whatever the customer or the server sends is displayed, never run.
"use strict";
(function () {
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const text = document.getElementById("text");
  const send = document.getElementById("send");
  const ticketBox = document.getElementById("ticket");
  const language = document.getElementById("language");
  const ticketPattern = /T\d{8}-\d{4,}(?:-\d+)?/;
  let session = null;
  // The language of the last reply: the page's own words follow the conversation, whatever the menu says ("auto").
  let replyLanguage = language.value === "en" ? "en" : "zh";
  function english() { return replyLanguage === "en"; }

  function show(kind, words) {
    const bubble = document.createElement("div");
    bubble.className = "message " + kind;
    bubble.textContent = words;
    log.appendChild(bubble);
    log.scrollTop = log.scrollHeight;
    return bubble;
  }

  function showTicket(reply) {
    const found = reply.match(ticketPattern);
    if (!found) return;
    ticketBox.textContent = (english() ? "Your ticket: " : "您的工单号：") + found[0];
    ticketBox.dataset.ticket = found[0];
    ticketBox.hidden = false;
  }

  async function call(path, body, token) {
    const headers = { "Content-Type": "application/json" };
    if (token) headers["Authorization"] = "Bearer " + token;
    const response = await fetch(path, { method: "POST", headers: headers, body: JSON.stringify(body) });
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) {
      const error = new Error((data && data.error) || ("HTTP " + response.status));
      error.status = response.status;
      throw error;
    }
    return data;
  }

  async function start() {
    log.textContent = "";
    ticketBox.hidden = true;
    const started = await call("/v1/sessions", { lang: language.value, channel: "web" });
    session = { id: started.session, token: started.token, lang: language.value };
    sessionStorage.setItem("kefu.session", JSON.stringify(session));
    show("kefu", started.reply);
  }

  async function say(words) {
    show("customer", words);
    send.disabled = true;
    try {
      if (!session) await start();
      let turn;
      try {
        turn = await call("/v1/sessions/" + encodeURIComponent(session.id) + "/messages", { text: words }, session.token);
      } catch (error) {
        if (error.status === 404 || error.status === 409) {
          // The conversation is gone or has ended: a new one answers the same line.
          await start();
          show("customer", words);
          turn = await call("/v1/sessions/" + encodeURIComponent(session.id) + "/messages", { text: words }, session.token);
        } else {
          throw error;
        }
      }
      if (turn.language === "en" || turn.language === "zh") replyLanguage = turn.language;
      show("kefu", turn.reply);
      if ((turn.events || []).some(function (event) { return event.kind === "escalation"; })) showTicket(turn.reply);
    } catch (error) {
      show("error", (english() ? "Sorry, the message did not go through: " : "抱歉，消息没有发送成功：") + error.message);
    } finally {
      send.disabled = false;
      text.focus();
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const words = text.value.trim();
    if (!words) return;
    text.value = "";
    say(words);
  });
  text.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  language.addEventListener("change", function () {
    replyLanguage = language.value === "en" ? "en" : "zh";
    sessionStorage.removeItem("kefu.session");
    session = null;
    start().catch(function (error) { show("error", error.message); });
  });

  const saved = sessionStorage.getItem("kefu.session");
  if (saved) {
    try { session = JSON.parse(saved); } catch (e) { session = null; }
    if (session && ["auto", "zh", "en"].indexOf(session.lang) >= 0) {
      language.value = session.lang;
      replyLanguage = session.lang === "en" ? "en" : "zh";
    }
  }
  if (!session) start().catch(function (error) { show("error", error.message); });
  else show("kefu", english() ? "Welcome back. Carry on where you left off." : "欢迎回来，可以接着刚才的话题继续问。");
})();
