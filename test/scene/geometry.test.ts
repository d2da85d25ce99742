import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as g from '../../vthinker/scene/geometry.ts';
import type { Pt } from '../../vthinker/scene/types.ts';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} != ${b}`);
const closePt = (a: Pt | null, b: Pt, eps = 1e-9) => {
  assert.ok(a !== null, 'expected a point');
  close(a![0], b[0], eps);
  close(a![1], b[1], eps);
};

test('vector basics', () => {
  assert.equal(g.add([1, 2], [3, 4]), [4, 6]);
  assert.equal(g.sub([1, 2], [3, 4]), [-2, -2]);
  assert.is(g.dot([1, 2], [3, 4]), 11);
  assert.is(g.cross([1, 0], [0, 1]), 1);
  assert.is(g.dist([0, 0], [3, 4]), 5);
  assert.equal(g.midpoint([0, 0], [4, 2]), [2, 1]);
  assert.equal(g.lerp([0, 0], [10, 20], 0.25), [2.5, 5]);
  assert.equal(g.normalize([0, 0]), [0, 0]);
  assert.equal(g.roundPt([1.4, 2.6]), [1, 3]);
});

test('projection, foot of perpendicular, distances', () => {
  assert.is(g.projectionParameter([5, 5], [0, 0], [10, 0]), 0.5);
  assert.ok(Number.isNaN(g.projectionParameter([5, 5], [1, 1], [1, 1])));
  assert.equal(g.footOfPerpendicular([5, 7], [0, 0], [10, 0]), [5, 0]);
  // The foot lies on the infinite line, beyond the segment.
  assert.equal(g.footOfPerpendicular([20, 3], [0, 0], [10, 0]), [20, 0]);
  assert.is(g.pointLineDistance([20, 3], [0, 0], [10, 0]), 3);
  assert.is(g.pointSegmentDistance([20, 3], [0, 0], [10, 0]), Math.hypot(10, 3));
  closePt(g.reflect([1, 3], [0, 0], [10, 0]), [1, -3]);
});

test('line and segment intersections', () => {
  closePt(g.lineIntersection([0, 0], [10, 10], [0, 10], [10, 0]), [5, 5]);
  assert.is(g.lineIntersection([0, 0], [10, 0], [0, 1], [10, 1]), null);
  closePt(g.segmentIntersection([0, 0], [10, 10], [0, 10], [10, 0]), [5, 5]);
  assert.is(g.segmentIntersection([0, 0], [4, 4], [0, 10], [10, 0]), null, 'too short to reach');
  assert.is(g.segmentIntersection([0, 0], [5, 5], [5, 5], [10, 0]), null, 'touching at an endpoint is not a proper crossing');
  // Lines cross outside both segments.
  closePt(g.lineIntersection([0, 0], [1, 1], [0, 10], [1, 9]), [5, 5]);
});

test('rayToCanvasEdge reaches the border in the ray direction', () => {
  assert.equal(g.rayToCanvasEdge([10, 10], [20, 10], 128, 128), [128, 10]);
  assert.equal(g.rayToCanvasEdge([10, 10], [10, 5], 128, 128), [10, 0]);
  closePt(g.rayToCanvasEdge([0, 0], [1, 1], 128, 64), [64, 64]);
  assert.equal(g.rayToCanvasEdge([10, 10], [10, 10], 128, 128), [10, 10]);
  // From the edge pointing outwards: nothing to draw.
  assert.equal(g.rayToCanvasEdge([128, 5], [130, 5], 128, 128), [128, 5]);
});

test('triangle centres', () => {
  const a: Pt = [0, 0], b: Pt = [6, 0], c: Pt = [0, 8];
  closePt(g.circumcenter(a, b, c), [3, 4]);
  closePt(g.centroid([a, b, c]), [2, 8 / 3]);
  // Right triangle 6-8-10: inradius (6 + 8 - 10) / 2 = 2, incentre (2, 2).
  closePt(g.incenter(a, b, c), [2, 2]);
  close(g.inradius(a, b, c), 2);
  assert.is(g.circumcenter([0, 0], [1, 1], [2, 2]), null);
  assert.is(g.incenter([0, 0], [1, 1], [2, 2]), null);
});

test('angle bisector direction and angles', () => {
  closePt(g.angleBisectorDirection([10, 0], [0, 0], [0, 10]), [Math.SQRT1_2, Math.SQRT1_2]);
  closePt(g.angleBisectorDirection([10, 0], [0, 0], [-10, 0]), [-0, 1]);
  close(g.angleAt([10, 0], [0, 0], [0, 10]), Math.PI / 2);
});

test('polygon area, containment, hull, orientation', () => {
  const square: Pt[] = [[0, 0], [10, 0], [10, 10], [0, 10]];
  assert.is(g.polygonArea(square), 100);
  assert.is(g.polygonArea([...square].reverse()), -100);
  assert.ok(g.pointInPolygon([5, 5], square));
  assert.not.ok(g.pointInPolygon([15, 5], square));
  const hull = g.convexHull([[0, 0], [10, 0], [5, 5], [10, 10], [0, 10], [5, 0]]);
  assert.is(hull.length, 4);
  assert.is(Math.abs(g.polygonArea(hull)), 100);
  assert.is(g.orientation([0, 0], [10, 0], [5, 5]), 1);
  assert.is(g.orientation([0, 0], [10, 0], [5, -5]), -1);
  assert.is(g.orientation([0, 0], [10, 0], [20, 0]), 0);
});

test('nearly-equal helpers', () => {
  assert.ok(g.nearlyEqual(0.1 + 0.2, 0.3));
  assert.not.ok(g.nearlyEqual(1, 1.001));
  assert.ok(g.nearlyEqual(1, 1.001, 0.01));
  assert.ok(g.nearlyEqualPt([1, 2], [1 + 1e-12, 2]));
  assert.ok(g.nearlyZero(1e-12));
  assert.ok(g.insideCanvas([128, 0], 128, 128));
  assert.not.ok(g.insideCanvas([-1, 0], 128, 128));
});

test.run();
