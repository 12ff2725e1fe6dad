import type { Tone } from "../../components/ui/Badge";

/** The badge colour of each conversation status. */
export const STATUS_TONES: Record<string, Tone> = { open: "green", waiting_approval: "amber", human: "indigo", closed: "gray" };
