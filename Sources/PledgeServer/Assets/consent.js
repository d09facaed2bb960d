// Pledge consent banner (issue 4; C10, C11). Served as /consent.js with the declaration's banner
// filled in for __PLEDGE_CONFIG__ and consent.css for __PLEDGE_CSS__. Full-line comments and
// indentation are stripped when served.
//
// Law: PECR reg 6 as amended by DUAA 2025 (nothing optional before consent; Sch A1 exceptions
// with a way to object), UK GDPR Art 7(1) (every choice is posted to the ledger as proof) and
// Art 7(3) (withdrawing is as easy as consenting: a persistent "Privacy settings" button).
(function (C, CSS) {
  'use strict';
  var d = document, w = window, T = C.t;
  var me = d.currentScript;
  var base = me ? new URL(me.src, location.href).origin : '';
  var gpc = navigator.globalPrivacyControl === true;
  var services = [], byId = {};
  C.cats.forEach(function (c) {
    c.svc.forEach(function (s) { s.cat = c; services.push(s); byId[s.id] = s; });
  });

  // Google Consent Mode v2: everything denied until a choice. Load this script before any Google tag.
  w.dataLayer = w.dataLayer || [];
  function gtag() { w.dataLayer.push(arguments); }
  gtag('consent', 'default', {
    ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied',
    functionality_storage: 'denied', personalization_storage: 'denied', security_storage: 'granted', wait_for_update: 500
  });

  // The consent cookie (strictly necessary: it records the choice): id.version.allowed+services
  function readCookie() {
    var m = d.cookie.match(new RegExp('(?:^|; )' + C.cookie + '=([^;]*)'));
    if (!m) return null;
    var p = decodeURIComponent(m[1]).split('.');
    return p.length === 3 ? { id: p[0], v: p[1], on: p[2] ? p[2].split('+') : [] } : null;
  }
  function writeCookie() {
    var on = services.filter(function (s) { return allowed[s.id]; }).map(function (s) { return s.id; });
    d.cookie = C.cookie + '=' + encodeURIComponent(consentId + '.' + C.v.slice(0, 12) + '.' + on.join('+')) +
      ';path=/;max-age=' + C.maxAge + ';samesite=lax' + (location.protocol === 'https:' ? ';secure' : '');
  }

  var stored = readCookie();
  var decided = !!stored && stored.v === C.v.slice(0, 12);
  // The id is kept across banner versions, so the ledger links a visitor's answers.
  var consentId = stored ? stored.id : null;
  var allowed = {}, ran = {};
  services.forEach(function (s) { allowed[s.id] = decided ? stored.on.indexOf(s.id) >= 0 : !!s.x; });

  function copy(o) { var r = {}; for (var k in o) r[k] = o[k]; return r; }
  function matching(v) {
    return services.filter(function (s) { return s.id === v || s.purpose === v || s.cat.id === v; });
  }
  // A script or embed runs when every declared service it names (by id, purpose or category) is allowed.
  function allows(v) {
    var m = matching(v);
    if (!m.length && w.console) console.warn('Pledge: nothing declared matches data-pledge-purpose="' + v + '"; it stays blocked.');
    return m.length > 0 && m.every(function (s) { return allowed[s.id]; });
  }
  function everyIn(cat) {
    var m = services.filter(function (s) { return s.cat.id === cat; });
    return m.length > 0 && m.every(function (s) { return allowed[s.id]; }) ? 'granted' : 'denied';
  }
  function consentMode() {
    var ads = everyIn('advertising'), pref = everyIn('preference');
    gtag('consent', 'update', {
      ad_storage: ads, ad_user_data: ads, ad_personalization: ads, analytics_storage: everyIn('statistical'),
      functionality_storage: pref, personalization_storage: pref
    });
  }

  function node(tag, attrs, kids) {
    var e = d.createElement(tag);
    for (var k in attrs || {}) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), attrs[k]);
      else e.setAttribute(k, attrs[k]);
    }
    (kids || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }
  function fill(text, s) { return text.replace('{provider}', s.provider || s.name).replace('{category}', T[s.cat.key]); }

  function activate() {
    [].slice.call(d.querySelectorAll('script[type="text/plain"][data-pledge-purpose]')).forEach(function (old) {
      var v = old.getAttribute('data-pledge-purpose');
      if (!allows(v)) return;
      var s = d.createElement('script');
      [].slice.call(old.attributes).forEach(function (a) { if (a.name !== 'type' && a.name !== 'data-src') s.setAttribute(a.name, a.value); });
      if (old.hasAttribute('data-src')) { s.async = false; s.src = old.getAttribute('data-src'); } else s.text = old.text;
      matching(v).forEach(function (m) { ran[m.id] = true; });
      old.parentNode.replaceChild(s, old);
    });
    [].slice.call(d.querySelectorAll('[data-src][data-pledge-purpose]')).forEach(function (e) {
      if (e.tagName === 'SCRIPT') return;
      var v = e.getAttribute('data-pledge-purpose'), m = matching(v);
      var ph = e.previousElementSibling && e.previousElementSibling.className === 'pledge-embed' ? e.previousElementSibling : null;
      if (allows(v)) {
        if (ph) ph.remove();
        e.hidden = false;
        if (e.getAttribute('src') !== e.getAttribute('data-src')) e.setAttribute('src', e.getAttribute('data-src'));
        m.forEach(function (s) { ran[s.id] = true; });
      } else if (!ph && m.some(function (s) { return s.load === 'click_to_load'; })) {
        // Click-to-load: nothing is fetched from the provider until the visitor asks for it.
        var s = m[0], blocked = gpc && (s.cat.id === 'advertising' || s.cat.id === 'social');
        e.hidden = true;
        e.parentNode.insertBefore(node('div', { 'class': 'pledge-embed', lang: C.lang }, [
          node('p', { text: fill(T.embedNote, s) }),
          blocked ? node('p', { text: T.gpcNote }) : node('button', { type: 'button', 'class': 'pledge-btn', text: fill(T.loadEmbed, s), onclick: function () {
            var on = copy(allowed);
            m.forEach(function (x) { on[x.id] = true; });
            save(on);
          } })
        ]), e);
      }
    });
  }

  function erase(s) {
    var kind = s.kind, name = s.name, wild = name.slice(-1) === '*', stem = wild ? name.slice(0, -1) : name;
    var hit = function (k) { return wild ? k.indexOf(stem) === 0 : k === name; };
    if (kind === 'cookie') {
      d.cookie.split('; ').forEach(function (c) {
        var k = c.split('=')[0];
        if (!hit(k)) return;
        // The cookie may have been set for the host or any parent domain.
        var parts = location.hostname.split('.');
        for (var i = 0; i <= parts.length; i++) {
          var dom = i < parts.length ? ';domain=' + parts.slice(i).join('.') : '';
          d.cookie = k + '=;path=/;max-age=0' + dom;
        }
      });
    } else if (kind === 'local_storage' || kind === 'session_storage') {
      var st = kind === 'local_storage' ? w.localStorage : w.sessionStorage;
      for (var i = st.length - 1; i >= 0; i--) if (hit(st.key(i))) st.removeItem(st.key(i));
    }
  }

  function apply(before) {
    var withdrawn = services.filter(function (s) { return before[s.id] && !allowed[s.id]; });
    withdrawn.forEach(erase);
    consentMode();
    activate();
    d.dispatchEvent(new CustomEvent('pledge:consent', { detail: copy(allowed) }));
    // A script that already ran cannot be unloaded: a reload stops it.
    if (withdrawn.some(function (s) { return ran[s.id]; })) location.reload();
  }

  // Posts the choice to the ledger; only what the server recorded is switched on.
  function save(on) {
    var before = copy(allowed), choices = {}, per = {};
    C.cats.forEach(function (c) {
      var any = c.svc.some(function (s) { return on[s.id]; }), all = c.svc.every(function (s) { return on[s.id]; });
      // Consent is never inferred: a category is granted for what needs consent, not because an
      // exception in it was left running (that one is answered for itself).
      var cat = c.x ? any : c.svc.some(function (s) { return on[s.id] && !s.x; });
      choices[c.id] = cat;
      if ((any && !all) || cat !== any) c.svc.forEach(function (s) { per[s.id] = !!on[s.id]; });
    });
    var body = { bannerVersion: C.v, choices: choices, services: per, gpc: gpc };
    if (consentId) body.consentId = consentId;
    close();
    return fetch(base + '/v1/consents', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'omit', keepalive: true
    }).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then(function (res) {
      consentId = res.consentId;
      decided = true;
      services.forEach(function (s) { allowed[s.id] = res.services[s.id] === true; });
      writeCookie();
      apply(before);
      announce(T.saved);
    }, function (e) {
      // No proof, no consent: refusals apply at once, nothing new is switched on.
      if (w.console) console.error('Pledge: the choice was not recorded', e);
      services.forEach(function (s) { allowed[s.id] = allowed[s.id] && on[s.id] === true; });
      apply(before);
    });
  }

  var dlg = null, opener = null, live = null;
  function announce(text) { if (live) { live.textContent = ''; live.textContent = text; } }
  function close() {
    if (!dlg) return;
    dlg.close();
    dlg.remove();
    dlg = null;
    if (opener && opener.focus) opener.focus();
  }
  function all(v) { var on = {}; services.forEach(function (s) { on[s.id] = v; }); return on; }
  // A Sch A1 exception (DUAA 2025) runs without consent, so the visitor must be able to object in
  // one click: the button records the objection at once and leaves everything else as it stands
  // (for a visitor who has not chosen yet: nothing optional). On the first layer it comes with what
  // runs (`full`); among the choices the switch above says that.
  function objection(c, full) {
    var xs = c.svc.filter(function (s) { return s.x && allowed[s.id]; });
    if (!xs.length) return null;
    var what = full ? T[c.key] + ': ' + xs.map(function (s) { return s.desc || s.name; }).join(' ') + ' ' : '';
    return node('p', { 'class': 'pledge-note pledge-exception' }, [
      d.createTextNode(what + T.exceptionNote + ' '),
      node('button', { type: 'button', 'class': 'pledge-btn pledge-alt', 'data-act': 'object', 'data-cat': c.id,
        text: T.objectTo.replace('{category}', c.x ? T[c.key] : xs.map(function (s) { return s.name; }).join(', ')), onclick: function () {
          var on = copy(allowed);
          xs.forEach(function (s) { on[s.id] = false; });
          save(on);
        } })
    ]);
  }

  function layer(manage) {
    var kids = [node('h2', { id: 'pledge-title', text: T.title })];
    kids.push(node('p', { id: 'pledge-intro' }, [d.createTextNode(T.intro + ' '), node('a', { href: base + C.notice, text: T.noticeLink })]));
    if (gpc) kids.push(node('p', { 'class': 'pledge-note', text: T.gpcNote }));
    if (manage) {
      var form = node('div', { 'class': 'pledge-cats' });
      C.cats.forEach(function (c) {
        var off = gpc && (c.id === 'advertising' || c.id === 'social');
        var box = node('input', { type: 'checkbox', role: 'switch', id: 'pledge-c-' + c.id, 'data-cat': c.id });
        box.checked = !off && c.svc.some(function (s) { return allowed[s.id]; });
        box.disabled = off;
        var list = node('ul', {}, c.svc.map(function (s) {
          var info = [s.name, s.provider, s.expiry, (s.hosts || []).join(', '), s.desc].filter(Boolean).join(' · ');
          if (c.svc.length < 2) return node('li', { text: info });
          var one = node('input', { type: 'checkbox', id: 'pledge-s-' + s.id, 'data-svc': s.id, 'data-in': c.id });
          one.checked = !off && allowed[s.id];
          one.disabled = off;
          return node('li', {}, [one, node('label', { 'for': 'pledge-s-' + s.id, text: info })]);
        }));
        box.addEventListener('change', function () {
          [].slice.call(form.querySelectorAll('[data-in="' + c.id + '"]')).forEach(function (i) { i.checked = box.checked; });
        });
        form.appendChild(node('div', { 'class': 'pledge-cat' }, [
          node('label', { 'for': 'pledge-c-' + c.id }, [box, node('span', { text: T[c.key] })]),
          objection(c, false) || (c.x ? node('p', { 'class': 'pledge-note', text: T.exceptionNote }) : null),
          node('details', {}, [node('summary', { text: c.svc.length + ' × ' + T[c.key] }), list])
        ]));
      });
      if (C.exempt.length) {
        form.appendChild(node('div', { 'class': 'pledge-cat' }, [
          node('p', {}, [node('strong', { text: T.strictlyNecessary }), d.createTextNode(' — ' + T.alwaysOn)]),
          node('details', {}, [node('summary', { text: C.exempt.length + ' × ' + T.strictlyNecessary }),
            node('ul', {}, C.exempt.map(function (s) { return node('li', { text: [s.name, s.expiry, s.desc].filter(Boolean).join(' · ') }); }))])
        ]));
      }
      kids.push(form);
      kids.push(node('div', { 'class': 'pledge-actions' }, [
        node('button', { type: 'button', 'class': 'pledge-btn', 'data-act': 'save', text: T.save, onclick: function () {
          var on = {};
          C.cats.forEach(function (c) {
            var cat = form.querySelector('[data-cat="' + c.id + '"]').checked;
            c.svc.forEach(function (s) {
              var one = form.querySelector('[data-svc="' + s.id + '"]');
              on[s.id] = one ? one.checked : cat;
            });
          });
          save(on);
        } }),
        node('button', { type: 'button', 'class': 'pledge-btn', 'data-act': 'accept', text: T.acceptAll, onclick: function () { save(all(true)); } }),
        node('button', { type: 'button', 'class': 'pledge-btn', 'data-act': 'reject', text: T.rejectAll, onclick: function () { save(all(false)); } })
      ]));
    } else {
      // What runs under an exception is said on the first layer, each with its objection.
      C.cats.forEach(function (c) { kids.push(objection(c, true)); });
      // "Accept all" and "Reject all" look the same and sit side by side (ICO/CMA joint paper 2023).
      kids.push(node('div', { 'class': 'pledge-actions' }, [
        node('button', { type: 'button', 'class': 'pledge-btn', 'data-act': 'accept', text: T.acceptAll, onclick: function () { save(all(true)); } }),
        node('button', { type: 'button', 'class': 'pledge-btn', 'data-act': 'reject', text: T.rejectAll, onclick: function () { save(all(false)); } }),
        node('button', { type: 'button', 'class': 'pledge-btn pledge-alt', 'data-act': 'manage', text: T.manage, onclick: function () { open(true); } })
      ]));
    }
    return kids;
  }

  function open(manage) {
    var keep = dlg ? opener : d.activeElement;
    if (dlg) { dlg.close(); dlg.remove(); }
    opener = keep;
    dlg = node('dialog', { 'class': 'pledge-dialog', lang: C.lang, 'aria-modal': 'true', 'aria-labelledby': 'pledge-title', 'aria-describedby': 'pledge-intro' }, layer(manage));
    dlg.addEventListener('cancel', function (e) {
      // Escape: back from the choices to the first layer; it never counts as an answer.
      e.preventDefault();
      if (manage) open(false); else if (decided) close();
    });
    dlg.addEventListener('keydown', function (e) {
      if (e.key !== 'Tab') return;
      var f = [].slice.call(dlg.querySelectorAll('a[href],button:not([disabled]),input:not([disabled]),summary'));
      var first = f[0], last = f[f.length - 1];
      if (e.shiftKey && d.activeElement === first) { e.preventDefault(); last.focus(); }
      else if (!e.shiftKey && d.activeElement === last) { e.preventDefault(); first.focus(); }
    });
    d.body.appendChild(dlg);
    dlg.showModal();
    dlg.querySelector(manage ? 'input:not([disabled]),button' : '.pledge-actions button').focus();
  }

  function start() {
    consentMode();
    // Nothing declared needs a choice: no banner, no button (and no cookie).
    if (!services.length) return;
    d.head.appendChild(node('style', { text: CSS }));
    live = node('div', { 'class': 'pledge-live', role: 'status', 'aria-live': 'polite' });
    d.body.appendChild(live);
    // Withdrawal as easy as consent (UK GDPR Art 7(3)): the settings button stays on every page.
    d.body.appendChild(node('button', { type: 'button', 'class': 'pledge-settings', lang: C.lang, text: T.settings, onclick: function () { open(true); } }));
    [].slice.call(d.querySelectorAll('[data-pledge-settings]')).forEach(function (e) {
      e.addEventListener('click', function (ev) { ev.preventDefault(); open(true); });
    });
    activate();
    if (!decided) open(false);
  }

  w.Pledge = {
    open: function () { open(true); },
    allows: allows,
    consentId: function () { return consentId; }
  };
  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', start); else start();
})(__PLEDGE_CONFIG__, __PLEDGE_CSS__);
