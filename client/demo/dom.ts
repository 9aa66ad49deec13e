/** The demo's few DOM helpers, shared by its pages. */

/** The element with this id; a missing one is a bug of the page. */
export const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing`);
  return el as T;
};

export const show = (id: string, visible: boolean): void => {
  $(id).hidden = !visible;
};

/** A form field's text ('' when absent). */
export const field = (form: HTMLFormElement, name: string): string => {
  const value = new FormData(form).get(name);
  return typeof value === 'string' ? value : '';
};
