//! Geofences (SPEC §6): great-circle distance between two points, and whether a clock-in
//! falls outside a job's (else site's) fence.

/// Mean Earth radius (IUGG), in metres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle distance in metres (haversine), for coordinates in degrees.
pub fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    // Rounding can push `a` a hair past 1 near antipodes; clamp so sqrt stays real.
    let a = a.clamp(0.0, 1.0);
    2.0 * EARTH_RADIUS_M * a.sqrt().atan2((1.0 - a).sqrt())
}

/// A circle on the ground: centre in degrees, radius in metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fence {
    pub latitude: f64,
    pub longitude: f64,
    pub radius_m: f64,
}

/// Strictly farther from the centre than the radius (the boundary counts as inside).
/// Non-finite input compares false: an unknown position is never flagged.
pub fn outside(fence: &Fence, lat: f64, lon: f64) -> bool {
    distance_m(fence.latitude, fence.longitude, lat, lon) > fence.radius_m
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARIS: (f64, f64) = (48.8566, 2.3522);
    const LONDON: (f64, f64) = (51.5074, -0.1278);

    #[test]
    fn known_distances() {
        let d = distance_m(PARIS.0, PARIS.1, LONDON.0, LONDON.1);
        assert!((d - 343_500.0).abs() < 1_000.0, "{d}");
        assert_eq!(distance_m(PARIS.0, PARIS.1, LONDON.0, LONDON.1), distance_m(LONDON.0, LONDON.1, PARIS.0, PARIS.1));
        assert_eq!(distance_m(PARIS.0, PARIS.1, PARIS.0, PARIS.1), 0.0);
        // Half the circumference: pi * R.
        let half = std::f64::consts::PI * EARTH_RADIUS_M;
        assert!((distance_m(0.0, 0.0, 0.0, 180.0) - half).abs() < 1.0);
        assert!((distance_m(90.0, 0.0, -90.0, 0.0) - half).abs() < 1.0);
        assert!((distance_m(40.0, -74.0, -40.0, 106.0) - 20_015_114.0).abs() < 10.0);
        // One degree of latitude is about 111.2 km.
        assert!((distance_m(10.0, 20.0, 11.0, 20.0) - 111_195.0).abs() < 5.0);
    }

    #[test]
    fn antimeridian_and_poles() {
        let d = distance_m(0.0, 179.9, 0.0, -179.9);
        assert!((d - 22_239.0).abs() < 5.0, "{d}");
        assert!(distance_m(-17.0, 180.0, -17.0, -180.0) < 1e-6);
        // All meridians meet at the pole.
        assert!(distance_m(90.0, 0.0, 90.0, 123.0) < 1e-6);
    }

    #[test]
    fn fence_inside_outside_boundary() {
        let f = Fence { latitude: 40.0, longitude: -3.7, radius_m: 100.0 };
        assert!(!outside(&f, 40.0, -3.7));
        // About 55.6 m north: inside; about 111 m north: outside.
        assert!(!outside(&f, 40.0005, -3.7));
        assert!(outside(&f, 40.001, -3.7));
        assert!(outside(&f, PARIS.0, PARIS.1));
        // Exactly on the radius is inside.
        let d = distance_m(40.0, -3.7, 40.0008, -3.7);
        let edge = Fence { radius_m: d, ..f };
        assert!(!outside(&edge, 40.0008, -3.7));
        assert!(outside(&Fence { radius_m: d - 0.01, ..f }, 40.0008, -3.7));
        // A zero-radius fence only admits its centre; NaN is never flagged.
        let dot = Fence { radius_m: 0.0, ..f };
        assert!(!outside(&dot, 40.0, -3.7));
        assert!(outside(&dot, 40.00001, -3.7));
        assert!(!outside(&f, f64::NAN, -3.7));
    }
}
