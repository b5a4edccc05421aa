import { describe, expect, it } from "vitest";
import type { ActionBlockInput } from "./ActionBlockInput.js";
import { answerOf, cardsValue, chosenCards, chosenForm, formAnswer } from "./actionAnswer.js";

type Of<K extends ActionBlockInput["kind"]> = Extract<ActionBlockInput, { kind: K }>;

const radio: Of<"radio"> = {
  kind: "radio",
  id: "size",
  options: [
    { value: "s", label: "Small" },
    { value: "l", label: "Large" },
  ],
};
const cards: Of<"cards"> = {
  kind: "cards",
  id: "plan",
  cards: [
    { value: "basic", title: "Basic" },
    { value: "team", title: "Team" },
    { value: "corp", title: "Company" },
  ],
};
const several: Of<"cards"> = { ...cards, multiple: true };
const form: Of<"form"> = {
  kind: "form",
  id: "project",
  fields: [
    { type: "text", name: "name", label: "Name", required: true, maxLength: 10 },
    { type: "number", name: "size", label: "Team size", min: 1, max: 50 },
    { type: "select", name: "region", label: "Region", options: [{ value: "eu", label: "Europe" }] },
    { type: "checkbox", name: "public", label: "Public" },
    { type: "checkbox", name: "terms", label: "I agree", required: true },
  ],
};

describe("answerOf", () => {
  it("a radio group takes one of its options, with the option's label (whatever label the device sent)", () => {
    expect(answerOf(radio, "l", "Huge")).toEqual({ ok: true, value: "l", label: "Large" });
    expect(answerOf(radio, "m")).toMatchObject({ ok: false });
  });

  it("buttons keep the label the person saw, and still only take their options", () => {
    const buttons: Of<"buttons"> = { kind: "buttons", id: "b", options: [{ value: "y", label: "Yes" }] };
    expect(answerOf(buttons, "y")).toEqual({ ok: true, value: "y", label: "Yes" });
    expect(answerOf(buttons, "y", "Yes!")).toEqual({ ok: true, value: "y", label: "Yes!" });
    expect(answerOf(buttons, "n", "No")).toMatchObject({ ok: false });
  });

  it("single-choice cards take one card's value, labelled with its title", () => {
    expect(answerOf(cards, "team")).toEqual({ ok: true, value: "team", label: "Team" });
    expect(answerOf(cards, '["team"]')).toMatchObject({ ok: false });
  });

  it("multiple-choice cards take a JSON array of card values, given back in the cards' order", () => {
    expect(answerOf(several, '["corp","basic"]')).toEqual({ ok: true, value: '["basic","corp"]', label: "Basic, Company" });
    expect(answerOf(several, cardsValue(several, ["team"]))).toEqual({ ok: true, value: '["team"]', label: "Team" });
    for (const bad of ["[]", "team", '["nope"]', "[1]", '{"team":true}']) expect(answerOf(several, bad), bad).toMatchObject({ ok: false });
  });

  it("a form takes a JSON object of its fields' values, checked, in one canonical form", () => {
    const r = answerOf(form, JSON.stringify({ terms: true, size: 3, name: " Apollo ", extra: "dropped" }));
    expect(r).toEqual({
      ok: true,
      value: '{"name":"Apollo","size":3,"public":false,"terms":true}',
      label: "Name: Apollo\nTeam size: 3\nPublic: no\nI agree: yes",
    });
    expect(answerOf(form, "not json")).toMatchObject({ ok: false });
    expect(answerOf(form, "[1,2]")).toMatchObject({ ok: false });
    expect(answerOf(form, JSON.stringify({ name: "Apollo" }))).toEqual({ ok: false, reason: "terms: Required." });
  });

  it("an input takes any text within bounds", () => {
    expect(answerOf({ kind: "input", id: "i" }, "Apollo")).toEqual({ ok: true, value: "Apollo", label: "Apollo" });
    expect(answerOf({ kind: "input", id: "i" }, "  ")).toMatchObject({ ok: false });
  });
});

describe("formAnswer", () => {
  it("reads what the fields hold as typed: numbers from text, a select's label in the words", () => {
    expect(formAnswer(form, { name: "Apollo", size: "12", region: "eu", public: true, terms: true })).toEqual({
      ok: true,
      value: '{"name":"Apollo","size":12,"region":"eu","public":true,"terms":true}',
      label: "Name: Apollo\nTeam size: 12\nRegion: Europe\nPublic: yes\nI agree: yes",
      values: { name: "Apollo", size: 12, region: "eu", public: true, terms: true },
    });
  });

  it("says what is wrong with each field that is wrong", () => {
    expect(formAnswer(form, { name: "", size: "0", region: "us", terms: false })).toEqual({
      ok: false,
      problems: { name: "Required.", size: "At least 1.", region: "Not one of the choices.", terms: "Required." },
    });
    expect(formAnswer(form, { name: "A name far too long", size: "lots", terms: true })).toEqual({
      ok: false,
      problems: { name: "At most 10 characters.", size: "A number." },
    });
    expect(formAnswer(form, { name: "Apollo", size: "51", terms: true })).toEqual({ ok: false, problems: { size: "At most 50." } });
    expect(formAnswer(form, { name: 42, terms: "yes" })).toEqual({ ok: false, problems: { name: "Text.", terms: "Yes or no." } });
  });

  it("reads only what was entered, whatever a field is called", () => {
    const named: Of<"form"> = { kind: "form", id: "f", fields: [{ type: "text", name: "toString", label: "Words", required: true }] };
    expect(formAnswer(named, {})).toEqual({ ok: false, problems: { toString: "Required." } });
    expect(formAnswer(named, { toString: "hi" })).toMatchObject({ ok: true, value: '{"toString":"hi"}' });
  });

  it("leaves empty optional fields out", () => {
    expect(formAnswer(form, { name: "Apollo", size: " ", region: "", terms: true })).toMatchObject({
      ok: true,
      values: { name: "Apollo", public: false, terms: true },
    });
  });
});

describe("reading a recorded answer back", () => {
  it("gives the chosen cards and the form's values, and nothing for what cannot be read", () => {
    expect(chosenCards(cards, "team")).toEqual(["team"]);
    expect(chosenCards(several, '["basic","corp"]')).toEqual(["basic", "corp"]);
    expect(chosenCards(several, "oops")).toEqual([]);
    expect(chosenForm('{"name":"Apollo","size":3,"public":false,"x":{"y":1}}')).toEqual({ name: "Apollo", size: 3, public: false });
    expect(chosenForm("oops")).toEqual({});
    expect(chosenForm("[1]")).toEqual({});
  });
});
