import { html, LitElement } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { NeuronMaps } from '../../src/worker/api.ts';
import { paintMap } from './neuron-paint.ts';
import { isProbability, placeTiles, tileButtons, tileKey, unitName, type Tile } from './neuron-tiles.ts';
import { nearestEdge, type EdgeRef } from './edge-hit.ts';
import './sp-weight-edit.ts';
import './sp-neuron-detail.ts';
import { arenaLayout, layerTensors, parameterCount } from '../../src/nn/arena.ts';
import { denseLayers, type ModelSpec } from '../../src/nn/spec.ts';
import { baseStyles } from '../shared/styles.ts';
import { diagramStyles } from './network-diagram-styles.ts';
import { diagramColumns, NEGATIVE, paintEdges, paintNodes, POSITIVE, type Column } from './network-paint.ts';

/**
 * Draws a dense network as columns of nodes joined by edges whose colour is the weight's sign and
 * whose width and opacity are |w| relative to the largest |w| of that layer. Properties in only;
 * it redraws when `spec`, `params` or its size change, never on a timer.
 */
@customElement('sp-network-diagram')
export class SpNetworkDiagram extends LitElement {
  static override styles = [baseStyles, diagramStyles];

  /** The network to draw. */
  @property({ attribute: false }) spec: ModelSpec | null = null;
  /** The parameter arena laid out by `arenaLayout(spec)`; null (grey edges) before a snapshot. */
  @property({ attribute: false }) params: Float32Array | null = null;

  /**
   * What every hidden unit and output computes over the input plane (2-D data): each shown node
   * becomes a small map of it (`neuron-heatmap`), and clicking one opens it large (`neuron-detail`).
   */
  @property({ attribute: false }) maps: NeuronMaps | null = null;

  @query('canvas.net') private canvas!: HTMLCanvasElement;
  /** Where each map tile sits (CSS px, its centre), from the last drawing's layout. */
  @state() private tiles: Tile[] = [];
  @state() private selected: { layer: number; unit: number } | null = null;
  /** The weight being typed (from a click on its edge, or the Edit a weight button), or null. */
  @state() private editing: EdgeRef | null = null;
  /** The last drawing's columns, for finding the edge under the pointer. */
  private drawn: Column[] = [];

  /** The value of a weight now, from the latest parameters (0 before any). */
  private weightOf(e: EdgeRef): number {
    if (!this.weightsFit()) return 0;
    const { weight } = layerTensors(arenaLayout(this.spec!), e.layer);
    return this.params![weight.offset + e.from * denseLayers(this.spec!)[e.layer]!.units + e.to]!;
  }

  private edgeAt(ev: MouseEvent): EdgeRef | null {
    const box = this.canvas.getBoundingClientRect();
    return nearestEdge(this.drawn, ev.clientX - box.left, ev.clientY - box.top);
  }

  /** Hovering an edge names it and shows its weight (the canvas's tooltip). */
  private onHover(ev: MouseEvent): void {
    const e = this.edgeAt(ev);
    this.canvas.title = e
      ? `weight ${this.weightOf(e).toPrecision(4)} from ${e.layer === 0 ? 'input' : `hidden ${e.layer} unit`} ${e.from + 1} to ${unitName(this.spec!, e.layer, e.to)}; click to edit`
      : '';
  }
  private resizeObserver: ResizeObserver | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.observe();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
  }

  override firstUpdated(): void {
    this.observe();
  }

  override updated(): void {
    this.draw();
    this.paintTiles();
  }

  /** The maps drawn into their tiles (after a render placed them). */
  private paintTiles(): void {
    const maps = this.maps;
    if (!maps) return;
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('button.tile canvas')) {
      const [layer, unit] = [Number(canvas.dataset.layer), Number(canvas.dataset.unit)];
      const m = maps.layers[layer];
      if (m && unit < m.units) paintMap(canvas, m, unit, maps.resolution, isProbability(this.spec, maps, layer));
    }
  }

  private observe(): void {
    this.resizeObserver?.disconnect();
    this.resizeObserver = new ResizeObserver(() => this.draw());
    this.resizeObserver.observe(this.canvas);
  }

  /** Text equivalent of the drawing for screen readers. */
  private summary(): string {
    const spec = this.spec;
    if (!spec) return 'Network diagram: no network yet';
    const hidden = spec.hidden.map((l) => `${l.units} ${l.activation}`);
    const sizes = [`${spec.inputSize} inputs`, ...hidden, `${spec.outputSize} outputs`].join(' → ');
    const total = parameterCount(arenaLayout(spec)).toLocaleString('en-US');
    const weights = this.weightsFit() ? 'blue edges are positive weights, orange negative' : 'weights not available yet';
    return `Network diagram: ${sizes}; ${total} parameters; ${weights}`;
  }

  private weightsFit(): boolean {
    return !!this.spec && !!this.params && this.params.length >= arenaLayout(this.spec).totalFloats;
  }

  private draw(): void {
    const canvas = this.canvas;
    if (!canvas) return;
    if (!this.spec) {
      canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
      return;
    }
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (width === 0 || height === 0) return;
    const dpr = window.devicePixelRatio || 1;
    const pw = Math.round(width * dpr);
    const ph = Math.round(height * dpr);
    if (canvas.width !== pw || canvas.height !== ph) {
      canvas.width = pw;
      canvas.height = ph;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const columns = diagramColumns(this.spec, width, height);
    paintEdges(ctx, this.spec, this.weightsFit() ? this.params : null, columns);
    const style = getComputedStyle(this);
    paintNodes(ctx, columns, height, {
      fg: style.getPropertyValue('--sp-fg').trim() || '#1b1f24',
      muted: style.getPropertyValue('--sp-muted').trim() || '#5b6570',
      fill: style.getPropertyValue('--sp-bg').trim() || '#ffffff',
    });
    this.drawn = columns;
    const tiles = placeTiles(this.spec, this.maps, columns);
    if (tileKey(tiles) !== tileKey(this.tiles)) this.tiles = tiles;
  }

  override render() {
    const sel = this.selected && this.maps?.layers[this.selected.layer] ? this.selected : null;
    return html`
      <div class="stage">
        <canvas
          class="net"
          role="img"
          aria-label=${this.summary()}
          data-testid="diagram"
          @pointermove=${(ev: MouseEvent) => this.onHover(ev)}
          @click=${(ev: MouseEvent) => (this.editing = this.edgeAt(ev) ?? this.editing)}
        ></canvas>
        ${tileButtons(this.tiles, this.spec!, sel, (t) => (this.selected = { layer: t.layer, unit: t.unit }))}
      </div>
      ${
        sel
          ? html`<sp-neuron-detail
              .maps=${this.maps}
              .layer=${sel.layer}
              .unit=${sel.unit}
              .heading=${unitName(this.spec!, sel.layer, sel.unit)}
              ?probabilities=${isProbability(this.spec, this.maps, sel.layer)}
              @sp-neuron-close=${() => (this.selected = null)}
            ></sp-neuron-detail>`
          : null
      }
      ${
        this.editing && this.spec
          ? html`<sp-weight-edit
              .layer=${this.editing.layer}
              .from=${this.editing.from}
              .to=${this.editing.to}
              .value=${this.weightOf(this.editing)}
              .readWeight=${(layer: number, from: number, to: number) => this.weightOf({ layer, from, to })}
              .shape=${denseLayers(this.spec).map((l) => ({ inputs: l.inputs, units: l.units }))}
              @sp-weight-edit=${() => (this.editing = null)}
              @sp-weight-close=${() => (this.editing = null)}
            ></sp-weight-edit>`
          : this.spec
            ? html`<button class="edit" @click=${() => (this.editing = { layer: 0, from: 0, to: 0 })}>Edit a weight…</button>`
            : null
      }
      <div class="legend" aria-hidden="true">
        <span><span class="swatch" style="background:${POSITIVE}"></span>positive weight</span>
        <span><span class="swatch" style="background:${NEGATIVE}"></span>negative weight</span>
        <span class="muted">width and opacity: |w| relative to the layer's largest</span>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sp-network-diagram': SpNetworkDiagram;
  }
}
