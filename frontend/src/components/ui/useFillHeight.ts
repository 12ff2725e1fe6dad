import { useEffect, useRef } from "react";

/**
 * Sizes an element to the rest of the screen below where it starts (at least `min` px), so a chat's
 * message box stays on the first screen whatever sits above it (a taller header on a phone, a
 * warning, switches). Measured whenever the window or the element's surroundings change size.
 */
export function useFillHeight<T extends HTMLElement>(min = 320, gap = 16) {
  const ref = useRef<T>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fit = () => {
      const height = Math.max(min, Math.floor(window.innerHeight - el.getBoundingClientRect().top - gap));
      if (el.style.height !== `${height}px`) el.style.height = `${height}px`;
    };
    fit();
    window.addEventListener("resize", fit);
    const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(fit);
    if (el.parentElement) observer?.observe(el.parentElement);
    return () => {
      window.removeEventListener("resize", fit);
      observer?.disconnect();
    };
  }, [min, gap]);
  return ref;
}
