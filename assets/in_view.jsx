import { createElement, useEffect, useRef, useState } from "react";
import { flushSync } from "react-dom";

// Renders its children only once they are wanted: when the box comes within half a screen of
// the viewport, or at the reader's first key press or touch anywhere on the page (so a
// keyboard user tabbing on finds every chart already there), or before the page is printed.
// Until then, an empty box of the height the caller gives it. For the staff dashboard's charts below the fold.
export function InView({ children, ...props }) {
  const box = useRef(null);
  const [wanted, setWanted] = useState(false);
  useEffect(() => {
    if (wanted) return undefined;
    if (typeof IntersectionObserver === "undefined") {
      setWanted(true);
      return undefined;
    }
    const want = () => setWanted(true);
    const observer = new IntersectionObserver(
      (entries) => { if (entries.some((entry) => entry.isIntersecting)) want(); },
      { rootMargin: "50% 0px" });
    observer.observe(box.current);
    const events = ["keydown", "pointerdown"];
    events.forEach((name) => document.addEventListener(name, want, { capture: true }));
    // The print layout is taken as soon as the handlers return: render now, not later.
    const wantNow = () => flushSync(want);
    window.addEventListener("beforeprint", wantNow);
    return () => {
      observer.disconnect();
      events.forEach((name) => document.removeEventListener(name, want, { capture: true }));
      window.removeEventListener("beforeprint", wantNow);
    };
  }, [wanted]);
  return createElement("div", { ref: box, ...props }, wanted ? children : null);
}
