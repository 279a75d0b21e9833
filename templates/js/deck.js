// Press's deck script: the only script in a deck (the Content-Security-Policy allows this one by
// its hash). Keys: → ↓ Space PageDown next; ← ↑ PageUp previous; Home/End; F full screen;
// S speaker view (notes, next slide, timer). The slide number is kept in the address (#3).
(() => {
  const root = document.documentElement;
  const slides = Array.from(document.querySelectorAll(".deck-slides > .slide"));
  const counter = document.querySelector(".deck-counter");
  const nextPane = document.querySelector(".presenter-next-slide");
  const notesPane = document.querySelector(".presenter-notes-text");
  const clock = document.querySelector(".presenter-clock");
  const notes = new Map(
    Array.from(document.querySelectorAll("template.slide-notes")).map((t) => [Number(t.dataset.slide), t]),
  );
  if (slides.length === 0) return;
  document.body.classList.add("deck-live");

  const slideSize = () => {
    const style = getComputedStyle(root);
    return [parseFloat(style.getPropertyValue("--slide-width")), parseFloat(style.getPropertyValue("--slide-height"))];
  };
  let index = 0;
  let timerStart = Date.now();

  function fromHash() {
    const n = Number.parseInt(location.hash.replace("#", ""), 10);
    return Number.isInteger(n) && n >= 1 && n <= slides.length ? n - 1 : 0;
  }

  function layout() {
    const [width, height] = slideSize();
    const speaker = document.body.classList.contains("speaker");
    const availableWidth = speaker ? window.innerWidth * 0.62 : window.innerWidth;
    const scale = Math.min(availableWidth / width, window.innerHeight / height) * 0.96;
    root.style.setProperty("--scale", String(scale));
    if (nextPane) root.style.setProperty("--next-scale", String(nextPane.clientWidth / width));
  }

  function show(next) {
    index = Math.max(0, Math.min(slides.length - 1, next));
    slides.forEach((slide, i) => {
      slide.classList.toggle("current", i === index);
      slide.setAttribute("aria-hidden", i === index ? "false" : "true");
    });
    if (counter) counter.textContent = `${index + 1} / ${slides.length}`;
    if (location.hash !== `#${index + 1}`) history.replaceState(null, "", `#${index + 1}`);
    if (nextPane) {
      nextPane.replaceChildren();
      const following = slides[index + 1];
      if (following) {
        const copy = following.cloneNode(true);
        copy.removeAttribute("id");
        copy.classList.remove("current");
        nextPane.append(copy);
      }
    }
    if (notesPane) {
      notesPane.replaceChildren();
      const template = notes.get(index + 1);
      if (template) notesPane.append(template.content.cloneNode(true));
    }
  }

  function toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else root.requestFullscreen?.();
  }

  function toggleSpeaker() {
    document.body.classList.toggle("speaker");
    timerStart = Date.now();
    layout();
  }

  // Right to left, the next slide is to the left.
  const forward = root.dir === "rtl" ? -1 : 1;
  const keys = {
    ArrowRight: forward, ArrowDown: 1, PageDown: 1, " ": 1, Enter: 1, n: 1,
    ArrowLeft: -forward, ArrowUp: -1, PageUp: -1, Backspace: -1, p: -1,
  };
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key in keys) show(index + keys[event.key]);
    else if (event.key === "Home") show(0);
    else if (event.key === "End") show(slides.length - 1);
    else if (event.key === "f" || event.key === "F") toggleFullscreen();
    else if (event.key === "s" || event.key === "S") toggleSpeaker();
    else return;
    event.preventDefault();
  });
  document.querySelector(".deck-slides")?.addEventListener("click", (event) => {
    if (event.target.closest("a")) return;
    show(index + (event.clientX > window.innerWidth / 2 ? forward : -forward));
  });
  let touchX = null;
  document.addEventListener("touchstart", (e) => { touchX = e.touches[0].clientX; }, { passive: true });
  document.addEventListener("touchend", (e) => {
    if (touchX === null) return;
    const dx = e.changedTouches[0].clientX - touchX;
    if (Math.abs(dx) > 40) show(index + (dx < 0 ? forward : -forward));
    touchX = null;
  });
  clock?.addEventListener("click", () => { timerStart = Date.now(); });
  setInterval(() => {
    if (!clock) return;
    const seconds = Math.floor((Date.now() - timerStart) / 1000);
    clock.textContent = `${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
  }, 500);
  document.addEventListener("fullscreenchange", () => {
    document.body.classList.toggle("is-fullscreen", Boolean(document.fullscreenElement));
  });
  window.addEventListener("resize", layout);
  window.addEventListener("hashchange", () => show(fromHash()));
  layout();
  show(fromHash());
})();
