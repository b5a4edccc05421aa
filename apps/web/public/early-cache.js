// Starts reading the cached last screen (src/bridge/viewCache.ts) while the app's code loads.
// A plain file, not an inline script: the relay's Content-Security-Policy allows scripts from 'self' only.
/* global window, localStorage, indexedDB */
try {
  var account = JSON.parse(localStorage.getItem("botschat.account") || "null");
  if (account && typeof account.userId === "string") {
    window.__botschatCachedView = new Promise(function (resolve) {
      var req = indexedDB.open("botschat-view-cache", 1);
      req.onupgradeneeded = function () { req.result.createObjectStore("views"); };
      req.onerror = function () { resolve(undefined); };
      req.onsuccess = function () {
        var db = req.result;
        try {
          var get = db.transaction("views").objectStore("views").get(account.userId);
          get.onsuccess = function () { resolve({ userId: account.userId, view: get.result }); db.close(); };
          get.onerror = function () { resolve(undefined); db.close(); };
        } catch (_e) { resolve(undefined); db.close(); }
      };
    });
  }
} catch (_e) {
  // No cache read early: the app reads it itself.
}
