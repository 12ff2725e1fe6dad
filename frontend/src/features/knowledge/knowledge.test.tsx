import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { CategoryNode } from "../../api/types";
import { flatten, isWithin } from "./api";
import { Snippet } from "./KnowledgePage";

const node = (id: number, children: CategoryNode[] = []): CategoryNode =>
  ({ id, name: `c${id}`, description: "", order: 0, parent_id: null, article_count: 0, children }) as CategoryNode;
const tree = [node(1, [node(2, [node(3)])]), node(4)];

describe("category tree helpers", () => {
  it("flattens depth-first with depths", () => {
    expect(flatten(tree).map(([n, d]) => [n.id, d])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 0],
    ]);
  });

  it("refuses moving a category into its own subtree", () => {
    expect(isWithin(tree, 1, 3)).toBe(true);
    expect(isWithin(tree, 1, 1)).toBe(true);
    expect(isWithin(tree, 2, 4)).toBe(false);
  });
});

describe("search snippets", () => {
  it("renders the API's <mark> highlights and nothing else as HTML", () => {
    const { container } = render(<Snippet html={"a &lt;b&gt; <mark>delivery</mark> &amp; <mark>express</mark>"} />);
    expect([...container.querySelectorAll("mark")].map((m) => m.textContent)).toEqual(["delivery", "express"]);
    expect(container.querySelector("b")).toBeNull();
    expect(container.textContent).toBe("a <b> delivery & express");
  });
});
