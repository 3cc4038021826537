import math

import numpy as np
import pytest

from coach import geometry

P = np.array


@pytest.mark.parametrize("a, b, c, expected", [
    (P([0, 0]), P([1, 0]), P([2, 0]), 180.0),
    (P([0, 0]), P([1, 0]), P([1, 1]), 90.0),
    (P([0, 0]), P([1, 0]), P([0, 0.0001]), 0.0),
])
def test_joint_angle(a, b, c, expected):
    assert geometry.joint_angle(a, b, c) == pytest.approx(expected, abs=0.01)


def test_joint_angle_of_coincident_points_is_nan():
    assert math.isnan(geometry.joint_angle(P([1, 1]), P([1, 1]), P([2, 2])))


@pytest.mark.parametrize("middle_y, sign", [(-10.0, 1), (10.0, -1), (0.0, 0)])
@pytest.mark.parametrize("facing", [1, -1])
def test_bend_sign_is_up_positive_whichever_way_the_body_faces(middle_y, sign, facing):
    a, c = P([0.0, 0.0]), P([200.0 * facing, 0.0])
    value = geometry.bend(a, P([100.0 * facing, middle_y]), c)
    expected = sign * (180 - geometry.joint_angle(a, P([100.0 * facing, middle_y]), c))
    assert value == pytest.approx(expected)
    if sign:
        assert math.copysign(1, value) == sign


@pytest.mark.parametrize("b, expected", [
    (P([10.0, 0.0]), 0.0), (P([-10.0, 0.0]), 0.0), (P([0.0, -10.0]), 90.0),
    (P([10.0, 10.0]), -45.0), (P([-10.0, -10.0]), 45.0),
])
def test_inclination_ignores_facing_direction(b, expected):
    assert geometry.inclination(P([0.0, 0.0]), b) == pytest.approx(expected)


@pytest.mark.parametrize("axis, expected", [("horizontal", 0.3), ("vertical", 0.4), ("euclidean", 0.5)])
def test_distance_in_torso_lengths(axis, expected):
    assert geometry.distance(P([0.0, 0.0]), P([30.0, 40.0]), axis, 100.0) == pytest.approx(expected)


def test_angles_use_pixels_not_normalised_coordinates():
    # A 45-degree segment in a 1280x720 frame is not 45 degrees in normalised units.
    a, b = P([0.0, 0.0]), P([360.0, -360.0])
    assert geometry.inclination(a, b) == pytest.approx(45.0)
    assert geometry.inclination(a / [1280, 720], b / [1280, 720]) != pytest.approx(45.0, abs=5)
