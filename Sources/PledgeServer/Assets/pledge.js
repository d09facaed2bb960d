// Pledge cookieless statistics (issue 4; C12, C13, C37). Served as /pledge.js with
// __PLEDGE_CONFIG__ filled in. It stores nothing on the device and sends one beacon per page
// view; the server keeps no IP address and no stable visitor id.
(function (C) {
  'use strict';
  var d = document, n = navigator, s = d.currentScript;
  var base = s ? new URL(s.src, location.href).origin : '';
  // Stops for an objection (the banner's choice, kept in the consent cookie) and, when declared, GPC.
  function stopped() {
    if (C.gpc && n.globalPrivacyControl === true) return true;
    var m = d.cookie.match(new RegExp('(?:^|; )' + C.cookie + '=([^;]*)'));
    if (m) {
      var p = decodeURIComponent(m[1]).split('.');
      if (p.length === 3) return (p[2] ? p[2].split('+') : []).indexOf(C.svc) < 0;
    }
    return !C.x;
  }
  var last = null;
  function view() {
    var l = location;
    if (l.href === last || stopped()) return;
    var q = new URLSearchParams(l.search), prev = last;
    last = l.href;
    var e = { s: l.hostname, p: l.pathname, r: prev || d.referrer, w: screen.width,
      us: q.get('utm_source'), um: q.get('utm_medium'), uc: q.get('utm_campaign') };
    var body = JSON.stringify(e);
    if (!(n.sendBeacon && n.sendBeacon(base + '/v1/collect', body))) {
      fetch(base + '/v1/collect', { method: 'POST', body: body, keepalive: true, credentials: 'omit' });
    }
  }
  // Single-page sites: count each history change as a page view.
  var push = history.pushState;
  history.pushState = function () { push.apply(history, arguments); view(); };
  addEventListener('popstate', view);
  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', view); else view();
})(__PLEDGE_CONFIG__);
