import { inputClass } from "../../components/ui/fields";

/*
 * Class names of the builder's boxes and bare inputs. An error swaps the ring colour instead of adding
 * a second one: with two ring colours on one element the stylesheet's order decides, not the markup's.
 */

/** A bare input or select, red-ringed when invalid. */
export const controlClass = (invalid?: unknown) => (invalid ? inputClass.replace("ring-slate-300", "ring-red-500").replace("dark:ring-slate-700", "dark:ring-red-500") : inputClass);

/** A node's or an action's box ring: its own colours, or red when something in it is wrong. */
export const boxRing = (invalid: unknown, ring: string) => (invalid ? "ring-red-400 dark:ring-red-700" : ring);
