// Review cards play their clip while the pointer (or keyboard focus) is on them and show
// the poster otherwise. Without this file the poster stays and the clip is a link away.
(function () {
  "use strict";

  var reduce = window.matchMedia("(prefers-reduced-motion: reduce)");

  function clipOf(target) {
    var link = target && target.closest ? target.closest(".thumb.has-clip") : null;
    return link ? link.querySelector("video[data-hover-play]") : null;
  }

  function play(event) {
    var video = clipOf(event.target);
    if (!video || reduce.matches || !video.paused) return;
    var started = video.play();
    // A refused play (no data yet, a browser policy) leaves the poster: nothing to report.
    if (started && started.catch) started.catch(function () {});
  }

  function stop(event) {
    var video = clipOf(event.target);
    if (!video) return;
    var link = video.closest(".thumb");
    // Moving between the link's own children is not leaving it.
    if (event.relatedTarget && link.contains(event.relatedTarget)) return;
    video.pause();
    video.currentTime = 0;
  }

  document.addEventListener("mouseover", play);
  document.addEventListener("mouseout", stop);
  document.addEventListener("focusin", play);
  document.addEventListener("focusout", stop);
})();
