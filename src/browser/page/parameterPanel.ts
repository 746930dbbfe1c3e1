/// <reference lib="dom" />
import type { ParamDescriptor } from '../devServer/paramDescriptors.ts';
import { getAtPath as getAt, setAtPath as setAt } from '../devServer/paramPath.ts';

/** A value change made in the panel: `path` is the descriptor's, `value` what the schema takes. */
export type PanelChange = (path: string, value: unknown) => void;

/** Slider resolution: the power of ten giving 1000 to 10 000 steps over the range; whole numbers for integers. */
function stepOf(d: ParamDescriptor): string {
  if (d.kind === 'integer') return '1';
  if (d.min === undefined || d.max === undefined || d.max <= d.min) return 'any';
  return String(10 ** Math.floor(Math.log10((d.max - d.min) / 1000)));
}

function formatted(value: unknown): string {
  if (typeof value !== 'number') return value === null || value === undefined ? '—' : String(value);
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

/**
 * The parameter panel, generated from an engine's descriptors (paramDescriptors.ts): one row per
 * parameter with its name, control and value with unit — a slider over the schema's range for
 * numbers, a select for enums, a checkbox for booleans, one slider per element for arrays of numbers
 * (per-line damping, mode shapes), read-only JSON for anything else. Live parameters (applied
 * smoothly at any sample) are marked; the others rebuild the engine. Each row carries
 * `data-param="<path>"`; each control `data-index` for array elements.
 */
export class ParameterPanel {
  readonly element: HTMLElement;
  private readonly rows = new Map<string, { d: ParamDescriptor; row: HTMLElement }>();
  private current: Record<string, unknown> = {};

  constructor(descriptors: readonly ParamDescriptor[], private readonly onChange: PanelChange) {
    this.element = document.createElement('div');
    this.element.className = 'param-panel';
    for (const d of descriptors) {
      const row = document.createElement('div');
      row.className = `param-row kind-${d.kind}${d.live ? ' live' : ''}`;
      row.dataset.param = d.path;
      this.element.append(row);
      this.rows.set(d.path, { d, row });
    }
  }

  /** Redraws every row from a whole parameter set (a preset load, a re-sync). */
  setAll(values: Record<string, unknown>): void {
    this.current = structuredClone(values);
    for (const path of this.rows.keys()) this.render(path);
  }

  /** Shows a change made elsewhere (another tab, the server) without calling onChange. */
  setValue(path: string, value: unknown): void {
    setAt(this.current, path, value);
    const entry = this.rows.get(path);
    if (!entry) return;
    const inputs = entry.row.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select');
    if (entry.d.kind === 'numberArray' && Array.isArray(value) && inputs.length !== value.length) { this.render(path); return; }
    if (entry.d.kind === 'numberArray' && !Array.isArray(value) !== (inputs.length === 1)) { this.render(path); return; }
    const list = Array.isArray(value) ? value : [value];
    inputs.forEach((input, k) => {
      if (input instanceof HTMLInputElement && input.type === 'checkbox') input.checked = Boolean(list[k]);
      else if (list[k] !== undefined && list[k] !== null) input.value = String(list[k]);
    });
    const shown = entry.row.querySelector('.value');
    if (shown) shown.textContent = this.valueText(entry.d, value);
  }

  value(path: string): unknown {
    return getAt(this.current, path);
  }

  /** A copy of every value the panel holds (the engine's whole parameter set). */
  values(): Record<string, unknown> {
    return structuredClone(this.current);
  }

  private valueText(d: ParamDescriptor, value: unknown): string {
    const text = Array.isArray(value) ? `[${value.length}]` : value === undefined ? `${formatted(d.default)} (default)` : formatted(value);
    return d.unit ? `${text} ${d.unit}` : text;
  }

  private render(path: string): void {
    const entry = this.rows.get(path);
    if (!entry) return;
    const { d, row } = entry;
    const value = getAt(this.current, path);
    row.replaceChildren();
    const label = document.createElement('label');
    label.textContent = d.path;
    label.title = `${d.live ? 'live (smoothed in the engine)' : 'rebuilds the engine'}${d.min !== undefined ? `; ${d.min}…${d.max}${d.unit ? ` ${d.unit}` : ''}` : ''}`;
    const controls = document.createElement('span');
    controls.className = 'controls';
    const shown = document.createElement('output');
    shown.className = 'value';
    shown.textContent = this.valueText(d, value);
    row.append(label, controls, shown);
    const emit = (v: unknown) => {
      setAt(this.current, path, v);
      shown.textContent = this.valueText(d, v);
      this.onChange(path, v);
    };
    if (d.kind === 'number' || d.kind === 'integer') {
      controls.append(this.slider(d, typeof value === 'number' ? value : (d.default as number | undefined), (v) => emit(v)));
    } else if (d.kind === 'numberArray') {
      if (Array.isArray(value)) {
        value.forEach((x, k) => {
          const s = this.slider(d, x as number, (v) => {
            const next = [...(getAt(this.current, path) as number[])];
            next[k] = v;
            emit(next);
          });
          s.dataset.index = String(k);
          s.title = `line ${k + 1}`;
          controls.append(s);
        });
      } else {
        controls.append(this.slider(d, typeof value === 'number' ? value : (d.default as number | undefined), (v) => emit(v)));
      }
    } else if (d.kind === 'enum') {
      const select = document.createElement('select');
      for (const option of d.options ?? []) select.append(new Option(option, option));
      select.value = String(value ?? d.default ?? d.options?.[0] ?? '');
      select.onchange = () => emit(select.value);
      controls.append(select);
    } else if (d.kind === 'boolean') {
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = Boolean(value ?? d.default);
      box.onchange = () => emit(box.checked);
      controls.append(box);
    } else {
      const code = document.createElement('code');
      code.textContent = JSON.stringify(value ?? d.default ?? null);
      controls.append(code);
    }
  }

  private slider(d: ParamDescriptor, value: number | undefined, onInput: (v: number) => void): HTMLInputElement {
    const input = document.createElement('input');
    input.type = 'range';
    input.min = String(d.min ?? 0);
    input.max = String(d.max ?? 1);
    input.step = stepOf(d);
    input.value = String(value ?? d.min ?? 0);
    input.oninput = () => onInput(Number(input.value));
    return input;
  }
}
