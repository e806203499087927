// GitLab's offset pagination (doc/api/rest/_index.md#offset-based-pagination): `page` (default 1)
// and `per_page` (default 20, at most 100), answered with x-page, x-per-page, x-total,
// x-total-pages, x-next-page, x-prev-page and a Link header with prev/next/first/last.

import type { DeclaredParams } from "./coercion";
import type { Reply, RouteContext } from "./routing";

const DEFAULT_PER_PAGE = 20;
const MAX_PER_PAGE = 100;

export interface PageRequest {
  readonly page: number;
  readonly perPage: number;
}

/** Reads `page` and `per_page` from declared parameters (errors land in `declared`). */
export function pageRequest(declared: DeclaredParams): PageRequest {
  const page = declared.integer("page") ?? 1;
  const perPage = declared.integer("per_page") ?? DEFAULT_PER_PAGE;
  return { page: Math.max(1, page), perPage: Math.min(MAX_PER_PAGE, Math.max(1, perPage)) };
}

/** A 200 answer with one page of `items` and the pagination headers. */
export function paginated<T>(context: RouteContext, request: PageRequest, items: readonly T[], present: (item: T) => unknown): Reply {
  const total = items.length;
  const totalPages = Math.max(1, Math.ceil(total / request.perPage));
  const start = (request.page - 1) * request.perPage;
  const pageItems = items.slice(start, start + request.perPage);
  const next = request.page < totalPages ? String(request.page + 1) : "";
  const prev = request.page > 1 ? String(Math.min(request.page - 1, totalPages)) : "";
  const link = (page: number, rel: string) => {
    // A token sent as `private_token` is not echoed into the links.
    const query = new URLSearchParams(Object.entries(context.params).filter((entry): entry is [string, string] => typeof entry[1] === "string" && entry[0] !== "private_token"));
    query.set("page", String(page));
    query.set("per_page", String(request.perPage));
    return `<${context.origin}${context.rawPath}?${query.toString()}>; rel="${rel}"`;
  };
  const links = [
    ...(prev ? [link(Number(prev), "prev")] : []),
    ...(next ? [link(Number(next), "next")] : []),
    link(1, "first"),
    link(totalPages, "last"),
  ];
  return {
    status: 200,
    json: pageItems.map(present),
    headers: {
      "x-page": String(request.page),
      "x-per-page": String(request.perPage),
      "x-total": String(total),
      "x-total-pages": String(totalPages),
      "x-next-page": next,
      "x-prev-page": prev,
      link: links.join(", "),
    },
  };
}
