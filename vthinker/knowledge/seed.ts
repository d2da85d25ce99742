// The seed knowledge system: concept paths (domain > topic > subtopic > concept) and the question families each can
// create. Plain data so stages can write it as an artifact; evolve.ts grows it round by round.
import type { TemplateId } from './grammar.ts';

export interface SeedConcept {
  path: string;
  families: TemplateId[];
}

export const SEED_CONCEPTS: readonly SeedConcept[] = [
  { path: 'Geometry > Plane Geometry > Line > Ray', families: ['ray-cross', 'ray-count'] },
  { path: 'Geometry > Plane Geometry > Line > Segment Intersection', families: ['ray-cross', 'parallel-cross'] },
  { path: 'Geometry > Plane Geometry > Line > Collinearity', families: ['collinear'] },
  { path: 'Geometry > Plane Geometry > Line > Parallel Lines', families: ['parallel-cross'] },
  { path: 'Geometry > Plane Geometry > Line > Perpendicular Lines', families: ['foot-inside', 'nearest-line'] },
  { path: 'Geometry > Plane Geometry > Distance > Point to Line Distance', families: ['nearest-line', 'foot-inside'] },
  { path: 'Geometry > Plane Geometry > Distance > Point to Point Distance', families: ['closer-endpoint', 'midpoint-nearest'] },
  { path: 'Geometry > Plane Geometry > Distance > Perpendicular Bisector', families: ['closer-endpoint'] },
  { path: 'Geometry > Plane Geometry > Segment > Midpoint', families: ['midpoint-nearest', 'median-cross'] },
  { path: 'Geometry > Plane Geometry > Segment > Projection', families: ['foot-inside'] },
  { path: 'Geometry > Plane Geometry > Angle > Angle Bisector', families: ['bisector-side'] },
  { path: 'Geometry > Plane Geometry > Angle > Half Plane', families: ['same-side', 'bisector-side'] },
  { path: 'Geometry > Plane Geometry > Triangle > Median', families: ['median-cross'] },
  { path: 'Geometry > Plane Geometry > Triangle > Vertex', families: ['median-cross', 'bisector-side'] },
  { path: 'Geometry > Plane Geometry > Circle > Radius', families: ['in-circle', 'dots-in-circle'] },
  { path: 'Geometry > Plane Geometry > Circle > Interior of a Circle', families: ['in-circle', 'dots-in-circle'] },
  { path: 'Geometry > Plane Geometry > Polygon > Interior of a Polygon', families: ['dots-in-polygon'] },
  { path: 'Geometry > Plane Geometry > Polygon > Convex Polygon', families: ['dots-in-polygon'] },
  { path: 'Geometry > Plane Geometry > Locus > Equidistant Points', families: ['closer-endpoint'] },
  { path: 'Algebra > Functions > Graph Reading > Function Value', families: ['curve-value'] },
  { path: 'Algebra > Functions > Graph Reading > Comparing Functions', families: ['curve-compare'] },
  { path: 'Algebra > Functions > Graph Reading > Level Crossings', families: ['curve-crossings'] },
  { path: 'Algebra > Functions > Monotonicity > Increasing and Decreasing', families: ['curve-crossings'] },
  { path: 'Algebra > Functions > Intersections > Curve Intersection', families: ['curve-compare'] },
  { path: 'Algebra > Coordinate Geometry > Axes > Reading Coordinates', families: ['curve-value'] },
  { path: 'Algebra > Coordinate Geometry > Axes > Vertical Lines', families: ['curve-compare'] },
  { path: 'Algebra > Coordinate Geometry > Axes > Horizontal Lines', families: ['curve-crossings', 'bars-above'] },
  { path: 'Algebra > Coordinate Geometry > Lines > Line Through Two Points', families: ['collinear', 'same-side'] },
  { path: 'Algebra > Coordinate Geometry > Lines > Slope', families: ['parallel-cross'] },
  { path: 'Statistics > Charts > Bar Chart > Reading Bar Heights', families: ['bars-above', 'bar-compare'] },
  { path: 'Statistics > Charts > Bar Chart > Threshold Counting', families: ['bars-above'] },
  { path: 'Statistics > Charts > Bar Chart > Comparing Bars', families: ['bar-compare'] },
  { path: 'Statistics > Charts > Line Chart > Reading Values', families: ['curve-value'] },
  { path: 'Statistics > Charts > Line Chart > Comparing Series', families: ['curve-compare'] },
  { path: 'Statistics > Data > Counting > Frequency Above a Threshold', families: ['bars-above'] },
  { path: 'Statistics > Data > Order > Maximum and Minimum', families: ['bar-compare'] },
  { path: 'Logic > Counting > Points in Region > Points in a Polygon', families: ['dots-in-polygon'] },
  { path: 'Logic > Counting > Points in Region > Points in a Circle', families: ['dots-in-circle'] },
  { path: 'Logic > Counting > Points in Region > Points in a Box', families: ['box-count'] },
  { path: 'Logic > Counting > Intersections > Counting Crossings', families: ['ray-count', 'curve-crossings'] },
  { path: 'Logic > Spatial Reasoning > Separation > Same Side of a Line', families: ['same-side'] },
  { path: 'Logic > Spatial Reasoning > Separation > Inside or Outside', families: ['in-circle', 'dots-in-polygon'] },
  { path: 'Logic > Spatial Reasoning > Alignment > Points on a Line', families: ['collinear'] },
  { path: 'Logic > Spatial Reasoning > Proximity > Nearest Point', families: ['nearest-line', 'midpoint-nearest'] },
  { path: 'Logic > Visual Search > Zoom > Small Details', families: ['box-count'] },
];
