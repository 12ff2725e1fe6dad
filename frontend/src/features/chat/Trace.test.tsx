import { render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import type { Message, TraceStep } from "../../api/types";
import i18n from "../../i18n";
import { citations, TracePanel } from "./Trace";

const trace: TraceStep[] = [
  {
    step: "knowledge",
    ms: 3,
    chunks: [
      { chunk_id: 1, article_id: 10, citation: "Delivery times", relevance: "high" },
      { chunk_id: 2, article_id: 11, citation: "returns.md › Returns", relevance: "medium" },
    ],
  },
  { step: "generate", ms: 40, citations: [{ chunk_id: 2, article_id: 11, file_id: 5, citation: "returns.md › Returns" }] },
];

describe("citations", () => {
  beforeEach(async () => {
    await i18n.changeLanguage("en");
  });

  it("are the passages the reply cited, not every passage retrieved", () => {
    expect(citations(trace).map((c) => c.citation)).toEqual(["returns.md › Returns"]);
    render(<TracePanel message={{ id: 1, trace } as unknown as Message} />);
    const list = screen.getByTestId("citations");
    expect(list).toHaveTextContent("[1] returns.md › Returns");
    expect(list).not.toHaveTextContent("Delivery times");
  });

  it("are none for a reply that used nothing", () => {
    const unknown: TraceStep[] = [trace[0], { step: "generate", ms: 5, citations: [] }];
    render(<TracePanel message={{ id: 2, trace: unknown } as unknown as Message} />);
    expect(screen.queryByTestId("citations")).not.toBeInTheDocument();
    expect(screen.queryByText("Citations")).not.toBeInTheDocument();
  });
});
