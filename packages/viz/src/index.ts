// Public surface of @contagion/viz: the network and charts as SVG, and the HTML report.
export type { RunData, GraphData, GraphNodeData, GraphEdgeData } from './data.js';
export { runDataOf } from './data.js';
export { buildScene, EDGE_MARKS } from './network/scene.js';
export type {
  Scene,
  SceneNode,
  SceneEdge,
  SceneNodeKind,
  SceneEdgeKind,
  NodeState,
  EdgeMark,
} from './network/scene.js';
export { forceLayout } from './layout/force.js';
export type { Layout, LayoutOptions } from './layout/force.js';
export { drawNetwork } from './network/network-svg.js';
export type { DrawNetworkOptions } from './network/network-svg.js';
export { svgFile, serialize } from './dom.js';
export {
  pricesChart,
  liquidationsChart,
  leverageChart,
  cascadeSizeChart,
} from './charts/charts.js';
export type { CascadeSize } from './charts/charts.js';
export { renderRun, stepFileName, cascadeSize, renderCascadeSizes } from './render.js';
export type { RenderOptions } from './render.js';
export { renderReport } from './report/report.js';
export type { ReportOptions } from './report/report.js';
export { renderSweepReport, HISTOGRAM_CELLS } from './report/sweep-report.js';
export type { SweepData } from './report/sweep-report.js';
export { heatMapChart, larChart, heatFigures } from './charts/sweep-charts.js';
export type { HeatFigure } from './charts/sweep-charts.js';
