/* What the drawing modes share so that no work is lost: a draft kept in the browser's storage
   (restored on reload), an undo history of snapshots, and the list of drawn shapes with
   edit, move and delete for each one. */

import { el } from './dom.js';
import { describe } from './drawing.js';

/** A draft in localStorage under key: load() (null when none or unreadable), save(obj), clear(). */
export function createDraftStore(key) {
  return {
    load() {
      try { return JSON.parse(localStorage.getItem(key) || 'null'); } catch (e) { return null; }
    },
    save(obj) {
      try { localStorage.setItem(key, JSON.stringify(obj)); } catch (e) { /* storage full or off: the page still works */ }
    },
    clear() { localStorage.removeItem(key); },
  };
}

/** Snapshots (JSON strings) to step back through: record(s) after each change, undo() gives the one before. */
export function createHistory(limit = 100) {
  const stack = [];
  return {
    record(s) {
      if (stack[stack.length - 1] === s) return;
      stack.push(s);
      if (stack.length > limit) stack.shift();
    },
    undo() {
      if (stack.length < 2) return null;
      stack.pop();
      return stack[stack.length - 1];
    },
    get canUndo() { return stack.length > 1; },
  };
}

/** Make a drawn layer report its edits and drags (each once the gesture ends) to onChange. */
export function watchLayer(layer, onChange) {
  layer.on('pm:edit', onChange);
  layer.on('pm:dragend', onChange);
  return layer;
}

function toggle(button, on) {
  button.setAttribute('aria-pressed', String(on));
  button.classList.toggle('active', on);
}

/** Buttons that edit the corners of, move, and delete one layer. */
function shapeButtons(item, i18n) {
  const { layer } = item;
  const edit = el('button', { type: 'button', class: 'small', 'data-action': 'edit' }, i18n.t('edit_shape'));
  const move = el('button', { type: 'button', class: 'small', 'data-action': 'move' }, i18n.t('move_shape'));
  const del = el('button', { type: 'button', class: 'small', 'data-action': 'delete' }, i18n.t('delete_shape'));
  toggle(edit, layer.pm.enabled());
  toggle(move, layer.pm.layerDragEnabled());
  edit.addEventListener('click', () => {
    if (layer.pm.enabled()) layer.pm.disable(); else layer.pm.enable({ snappable: false, allowSelfIntersection: true });
    toggle(edit, layer.pm.enabled());
  });
  move.addEventListener('click', () => {
    if (layer.pm.layerDragEnabled()) layer.pm.disableLayerDrag(); else layer.pm.enableLayerDrag();
    toggle(move, layer.pm.layerDragEnabled());
  });
  del.addEventListener('click', () => item.onDelete());
  [edit, move, del].forEach((b) => b.setAttribute('aria-label', `${b.textContent}: ${item.label}`));
  return [edit, move, del];
}

/**
 * List the drawn shapes in ul: each item {label, layer, onDelete, selected?, onSelect?} with its
 * measures and its edit / move / delete buttons.
 */
export function renderShapes(ul, items, i18n) {
  ul.textContent = '';
  for (const item of items) {
    const name = item.onSelect
      ? el('button', { type: 'button', class: 'link', 'aria-pressed': String(Boolean(item.selected)), onclick: item.onSelect }, item.label)
      : el('strong', {}, item.label);
    ul.append(el('li', { class: item.selected ? 'selected' : '', 'data-shape': item.key },
      name, ' ', el('small', {}, describe(item.layer, i18n)), ' ', ...shapeButtons(item, i18n)));
  }
}
