// A stand-in for a third-party analytics script: sets a cookie and calls its host.
window.analyticsRan = true;
document.cookie = "_pa_id=123; path=/; max-age=3600";
new Image().src = "http://analytics.example.net/collect?page=" + encodeURIComponent(location.pathname);
