import type { Context } from "hono";
import { badRequest } from "./ApiError.js";

type Json = Record<string, unknown>;

/** The request body as a JSON object, or a 400 saying why not ([X2]); its size is bounded before (api.ts). */
export async function readJson(c: Context): Promise<Json> {
  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest("The request body must be JSON.");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw badRequest("The request body must be a JSON object.");
  }
  return value as Json;
}

/** A required text field, trimmed of nothing, checked for type and length ([X2]). */
export function textField(body: Json, name: string, opts: { min?: number; max: number }): string {
  const v = body[name];
  if (v === undefined || v === null) throw badRequest(`The field "${name}" is required.`);
  if (typeof v !== "string") throw badRequest(`The field "${name}" must be a string.`);
  if (opts.min !== undefined && v.length < opts.min) {
    throw badRequest(`The field "${name}" must be at least ${opts.min} characters.`);
  }
  if (v.length > opts.max) throw badRequest(`The field "${name}" must be at most ${opts.max} characters.`);
  return v;
}

/** An optional text field: `undefined` when absent or null, else checked like {@link textField}. */
export function optionalTextField(body: Json, name: string, opts: { min?: number; max: number }): string | undefined {
  return body[name] === undefined || body[name] === null ? undefined : textField(body, name, opts);
}
