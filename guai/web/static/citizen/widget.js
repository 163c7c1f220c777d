/* guai citizen chat widget — one <script src="https://구청주소/citizen/widget.js" defer></script> on any page.
 * No login, no external resources: builds an accessible chat panel (keyboard, screen reader, large text)
 * and talks to POST /api/citizen/chat on the server the script came from.
 * Options on the script tag: data-inline="#selector" renders the panel inside that element (no launcher);
 * data-title="…" changes the heading. All text from the server is inserted with textContent (never HTML).
 */
(function () {
  "use strict";
  if (window.__guaiCitizenWidget) return;
  window.__guaiCitizenWidget = true;

  var script = document.currentScript || (function () {
    var all = document.getElementsByTagName("script");
    for (var i = all.length - 1; i >= 0; i--) if (/\/citizen\/widget\.js/.test(all[i].src)) return all[i];
    return null;
  })();
  var base = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  var inlineSel = script && script.getAttribute("data-inline");
  var title = (script && script.getAttribute("data-title")) || "구청 안내 상담";
  var P = "guai-cz-";
  var SESSION_KEY = "guai-citizen-session";
  var lastQuestion = "", lastGuidance = "";
  // The last two turns (question + guidance id answered) go with the next question so that "수수료는요?"
  // can be understood; the server re-validates them and only borrows topic words (never answer text).
  var turns = [], MAX_TURNS = 2;

  var css = [
    "." + P + "root{font-family:'Noto Sans KR','Nanum Gothic','Malgun Gothic',sans-serif;font-size:17px;line-height:1.6;color:#1b2230;box-sizing:border-box}",
    "." + P + "root *{box-sizing:border-box;font:inherit}",
    "." + P + "root.large{font-size:21px}",
    "." + P + "launcher{position:fixed;right:18px;bottom:18px;z-index:2147483000;background:#1f5fbf;color:#fff;border:0;border-radius:28px;padding:14px 22px;font-size:17px;font-weight:700;box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer}",
    "." + P + "panel{background:#fff;border:1px solid #cfd6e2;border-radius:14px;display:flex;flex-direction:column;overflow:hidden}",
    "." + P + "floating{position:fixed;right:18px;bottom:84px;width:min(420px,calc(100vw - 24px));height:min(640px,calc(100vh - 110px));z-index:2147483000;box-shadow:0 8px 30px rgba(0,0,0,.25)}",
    "." + P + "inline{width:100%;min-height:460px;height:70vh}",
    "." + P + "head{display:flex;flex-wrap:wrap;align-items:center;gap:6px;padding:10px 14px;background:#1f5fbf;color:#fff}",
    "." + P + "head h2{margin:0;font-size:1.05em;flex:1}",
    "." + P + "head button{background:transparent;color:#fff;border:1px solid rgba(255,255,255,.7);border-radius:8px;padding:4px 10px;cursor:pointer}",
    "." + P + "log{flex:1;overflow-y:auto;padding:12px 14px;background:#f5f7fa;display:flex;flex-direction:column;gap:10px}",
    "." + P + "msg{max-width:92%;padding:10px 12px;border-radius:12px;white-space:pre-wrap;word-break:keep-all;overflow-wrap:anywhere}",
    "." + P + "me{align-self:flex-end;background:#1f5fbf;color:#fff}",
    "." + P + "bot{align-self:flex-start;background:#fff;border:1px solid #cfd6e2}",
    "." + P + "meta{display:block;margin-top:6px;font-size:.88em;color:#545d6e}",
    "." + P + "actions{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px}",
    "." + P + "actions button,." + P + "form button{background:#fff;color:#1f5fbf;border:1px solid #1f5fbf;border-radius:8px;padding:6px 12px;cursor:pointer}",
    "." + P + "form{display:flex;gap:8px;padding:10px;border-top:1px solid #cfd6e2;background:#fff;align-items:flex-end}",
    "." + P + "form textarea{flex:1;resize:none;padding:8px 10px;border:1px solid #98a2b3;border-radius:8px;min-height:48px;max-height:140px}",
    "." + P + "form .send{background:#1f5fbf;color:#fff}",
    "." + P + "sheet{padding:12px 14px;border-top:1px solid #cfd6e2;background:#fff;display:flex;flex-direction:column;gap:6px;max-height:70%;overflow-y:auto}",
    "." + P + "sheet input,." + P + "sheet textarea{padding:8px 10px;border:1px solid #98a2b3;border-radius:8px}",
    "." + P + "sheet .row{display:flex;gap:8px;flex-wrap:wrap}",
    "." + P + "check{display:flex;gap:8px;align-items:flex-start;font-size:.92em}",
    "." + P + "check input{width:22px;height:22px;flex:none;margin-top:3px}",
    "." + P + "err{color:#b3261e}",
    "." + P + "code{font-family:monospace;font-size:1.15em;font-weight:700;letter-spacing:.04em}",
    "." + P + "sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
    "." + P + "root :focus-visible{outline:3px solid #ffbf47;outline-offset:2px}",
    "." + P + "hidden{display:none!important}",
    "@media (max-width:520px){." + P + "floating{right:0;bottom:0;width:100vw;height:100vh;border-radius:0}}"
  ].join("\n");

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls.split(" ").map(function (c) { return P + c; }).join(" ");
    if (text != null) e.textContent = text;
    return e;
  }
  function uid(name) { return P + name + "-" + Math.random().toString(36).slice(2, 8); }

  function session() {
    try { return sessionStorage.getItem(SESSION_KEY) || null; } catch (e) { return null; }
  }
  function keepSession(value) {
    try { if (value) sessionStorage.setItem(SESSION_KEY, value); } catch (e) { /* private mode */ }
  }

  function api(path, method, body) {
    return fetch(base + path, {
      method: method, headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined, credentials: "omit", mode: "cors"
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) { return { status: r.status, data: data }; });
    });
  }

  function build() {
    var style = document.createElement("style");
    style.textContent = css;
    document.head.appendChild(style);

    var root = el("div", "root");
    root.setAttribute("lang", "ko");
    var host = inlineSel ? document.querySelector(inlineSel) : null;
    var panel = el("section", "panel " + (host ? "inline" : "floating hidden"));
    var titleId = uid("title");
    panel.setAttribute("aria-labelledby", titleId);
    if (!host) { panel.setAttribute("role", "dialog"); panel.setAttribute("aria-modal", "false"); }
    panel.id = uid("panel");

    var head = el("div", "head");
    var h = el("h2", null, title); h.id = titleId;
    var big = el("button", null, "글자 크게"); big.type = "button"; big.setAttribute("aria-pressed", "false");
    var check = el("button", null, "답변 확인"); check.type = "button";
    var leave = el("button", null, "문의 남기기"); leave.type = "button";
    leave.setAttribute("aria-label", "담당자에게 문의 남기기");
    head.appendChild(h); head.appendChild(leave); head.appendChild(check); head.appendChild(big);
    var close = null;
    if (!host) { close = el("button", null, "닫기"); close.type = "button"; close.setAttribute("aria-label", "상담 창 닫기"); head.appendChild(close); }

    var log = el("div", "log");
    log.setAttribute("role", "log"); log.setAttribute("aria-live", "polite"); log.setAttribute("aria-relevant", "additions");
    log.setAttribute("aria-label", "상담 내용"); log.tabIndex = 0;

    var form = el("form", "form");
    var qid = uid("q");
    var label = el("label", "sr", "질문 입력 (Enter로 보내기, Shift+Enter로 줄바꿈)"); label.htmlFor = qid;
    var input = el("textarea"); input.id = qid; input.rows = 2; input.maxLength = 500;
    input.placeholder = "예: 음식물 쓰레기는 언제 버리나요?";
    var send = el("button", "send", "보내기"); send.type = "submit";
    form.appendChild(label); form.appendChild(input); form.appendChild(send);

    var sheet = el("div", "sheet hidden");
    panel.appendChild(head); panel.appendChild(log); panel.appendChild(sheet); panel.appendChild(form);
    root.appendChild(panel);

    var launcher = null;
    if (host) {
      host.appendChild(root);
    } else {
      launcher = el("button", "launcher", "궁금한 점 물어보기");
      launcher.type = "button";
      launcher.setAttribute("aria-expanded", "false"); launcher.setAttribute("aria-controls", panel.id);
      root.appendChild(launcher);
      document.body.appendChild(root);
    }

    function open() {
      panel.classList.remove(P + "hidden");
      if (launcher) launcher.setAttribute("aria-expanded", "true");
      input.focus();
    }
    function shut() {
      panel.classList.add(P + "hidden");
      if (launcher) { launcher.setAttribute("aria-expanded", "false"); launcher.focus(); }
    }
    if (launcher) launcher.addEventListener("click", function () {
      panel.classList.contains(P + "hidden") ? open() : shut();
    });
    if (close) close.addEventListener("click", shut);
    panel.addEventListener("keydown", function (e) { if (e.key === "Escape" && !host) shut(); });
    big.addEventListener("click", function () {
      var on = root.classList.toggle("large");
      big.setAttribute("aria-pressed", on ? "true" : "false");
    });

    function add(cls, text) {
      var m = el("div", "msg " + cls);
      if (text != null) m.textContent = text;
      log.appendChild(m);
      log.scrollTop = log.scrollHeight;
      return m;
    }

    function addAnswer(data) {
      var m = add("bot");
      var body = el("span"); body.textContent = data.answer || "";
      m.appendChild(body);
      if (data.phone) {
        var meta = el("span", "meta");
        meta.appendChild(document.createTextNode("전화: "));
        var tel = el("a", null, data.phone); tel.href = "tel:" + data.phone;
        tel.setAttribute("aria-label", (data.department || "담당 부서") + " 전화 " + data.phone);
        meta.appendChild(tel);
        m.appendChild(meta);
      }
      var acts = el("div", "actions");
      (data.suggestions || []).slice(0, 3).forEach(function (s) {
        var b = el("button", null, s); b.type = "button";
        b.setAttribute("aria-label", "관련 질문: " + s);
        b.addEventListener("click", function () { submit(s); });
        acts.appendChild(b);
      });
      if (data.escalate || data.kind === "not_found") {
        var esc = el("button", null, "담당자에게 문의 남기기"); esc.type = "button";
        esc.addEventListener("click", function () { showEscalation(); });
        acts.appendChild(esc);
      }
      if (acts.childNodes.length) m.appendChild(acts);
      log.scrollTop = log.scrollHeight;
    }

    function submit(text) {
      text = (text || "").trim();
      if (!text) { input.focus(); return; }
      lastQuestion = text;
      add("me", text);
      input.value = "";
      send.disabled = true;
      var wait = add("bot", "답변을 찾는 중입니다…");
      api("/api/citizen/chat", "POST", { message: text, session: session(), history: turns.slice(-MAX_TURNS) }).then(function (r) {
        wait.remove();
        keepSession(r.data.session);
        lastGuidance = (r.data.sources || [])[0] || "";
        if (r.status === 200 && r.data.answer) {
          turns.push({ question: text, guidance: (!r.data.escalate && lastGuidance) || null });
          turns = turns.slice(-MAX_TURNS);
        }
        if (r.data.answer) addAnswer(r.data);
        else add("bot", (r.data.error && r.data.error.message) || "잠시 후 다시 시도해 주세요.");
      }).catch(function () {
        wait.remove();
        add("bot", "연결이 원활하지 않습니다. 잠시 후 다시 시도해 주세요.");
      }).then(function () { send.disabled = false; input.focus(); });
    }

    form.addEventListener("submit", function (e) { e.preventDefault(); submit(input.value); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(input.value); }
    });

    function field(parent, labelText, tag, type, attrs) {
      var id = uid("f");
      var l = el("label", null, labelText); l.htmlFor = id;
      var f = el(tag); f.id = id; if (type) f.type = type;
      Object.keys(attrs || {}).forEach(function (k) { f.setAttribute(k, attrs[k]); });
      parent.appendChild(l); parent.appendChild(f);
      return f;
    }

    function clearSheet(heading) {
      sheet.textContent = "";
      sheet.classList.remove(P + "hidden");
      var hh = el("h3", null, heading); hh.tabIndex = -1; hh.style.margin = "0";
      sheet.appendChild(hh);
      return hh;
    }

    function closeButton(row) {
      var c = el("button", null, "닫기"); c.type = "button";
      c.addEventListener("click", function () { sheet.classList.add(P + "hidden"); input.focus(); });
      row.appendChild(c);
    }

    function showEscalation() {
      var hh = clearSheet("담당자에게 문의 남기기");
      var f = el("form"); f.style.display = "flex"; f.style.flexDirection = "column"; f.style.gap = "6px";
      var q = field(f, "문의 내용 (필수)", "textarea", null, { rows: "3", maxlength: "2000", required: "" });
      q.value = lastQuestion;
      var n = field(f, "이름 (선택)", "input", "text", { autocomplete: "name", maxlength: "50" });
      var p = field(f, "전화번호 (선택)", "input", "tel", { autocomplete: "tel", placeholder: "010-1234-5678" });
      var em = field(f, "이메일 (선택)", "input", "email", { autocomplete: "email" });
      var cl = el("label", "check");
      var cb = el("input"); cb.type = "checkbox";
      cl.appendChild(cb);
      cl.appendChild(document.createTextNode("개인정보 수집·이용에 동의합니다 (목적: 문의 답변 연락 · 항목: 이름, 전화번호, 이메일 · 보유: 답변 완료 후 1년). 연락처를 남길 때만 필요합니다."));
      f.appendChild(cl);
      var msg = el("p", "err"); msg.setAttribute("role", "alert"); f.appendChild(msg);
      var row = el("div", "row");
      var ok = el("button", null, "문의 남기기"); ok.type = "submit"; row.appendChild(ok);
      closeButton(row);
      f.appendChild(row);
      sheet.appendChild(f);
      f.addEventListener("submit", function (e) {
        e.preventDefault();
        msg.textContent = "";
        ok.disabled = true;
        api("/api/citizen/tickets", "POST", {
          question: q.value, name: n.value, phone: p.value, email: em.value, consent: cb.checked,
          session: session(), guidance: lastGuidance || null
        }).then(function (r) {
          if (r.status !== 201) { msg.textContent = (r.data.error && r.data.error.message) || "접수하지 못했습니다."; return; }
          clearSheet("문의가 접수되었습니다");
          var t = el("p");
          t.appendChild(document.createTextNode("문의 코드: "));
          t.appendChild(el("span", "code", r.data.code));
          sheet.appendChild(t);
          sheet.appendChild(el("p", null, r.data.department + "(" + r.data.phone + ")에서 확인 후 답변드립니다. 코드를 적어 두시면 '답변 확인'에서 답변을 볼 수 있습니다."));
          var link = el("a", null, "답변 확인 페이지 열기"); link.href = base + "/citizen/ticket?code=" + encodeURIComponent(r.data.code);
          sheet.appendChild(link);
          var rr = el("div", "row"); closeButton(rr); sheet.appendChild(rr);
          add("bot", "문의가 접수되었습니다. 문의 코드: " + r.data.code);
          sheet.querySelector("h3").focus();
        }).catch(function () { msg.textContent = "연결이 원활하지 않습니다. 잠시 후 다시 시도해 주세요."; })
          .then(function () { ok.disabled = false; });
      });
      hh.focus();
    }

    function showCheck() {
      var hh = clearSheet("문의 답변 확인");
      var f = el("form"); f.style.display = "flex"; f.style.flexDirection = "column"; f.style.gap = "6px";
      var c = field(f, "문의 코드", "input", "text", { placeholder: "GA-XXXX-XXXX", autocomplete: "off", required: "" });
      var out = el("div"); out.setAttribute("aria-live", "polite");
      var row = el("div", "row");
      var ok = el("button", null, "확인"); ok.type = "submit"; row.appendChild(ok);
      closeButton(row);
      f.appendChild(row); f.appendChild(out);
      sheet.appendChild(f);
      f.addEventListener("submit", function (e) {
        e.preventDefault();
        out.textContent = "확인 중…";
        api("/api/citizen/tickets/" + encodeURIComponent(c.value.trim()), "GET").then(function (r) {
          out.textContent = "";
          if (r.status !== 200) { out.appendChild(el("p", "err", (r.data.error && r.data.error.message) || "찾지 못했습니다.")); return; }
          var d = r.data;
          out.appendChild(el("p", null, "상태: " + d.status + " · 담당: " + d.department + " (" + d.phone + ")"));
          out.appendChild(el("p", null, d.reply ? "답변: " + d.reply : "아직 답변이 없습니다. 담당 부서에서 확인 중입니다."));
        }).catch(function () { out.textContent = "연결이 원활하지 않습니다."; });
      });
      hh.focus();
    }
    check.addEventListener("click", showCheck);
    leave.addEventListener("click", function () { showEscalation(); });

    add("bot", "안녕하세요. 쓰레기 배출, 복지 신청, 주차, 민원 서류, 행사 등 구청 일을 물어보세요. 개인정보(주민등록번호 등)는 적지 마세요.");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", build);
  else build();
})();
