// A page restored from the back/forward cache is re-requested, so after signing out "Back"
// shows the sign-in page rather than a stale copy of case content.
window.addEventListener("pageshow", function (event) {
  "use strict";
  if (event.persisted) {
    window.location.reload();
  }
});
