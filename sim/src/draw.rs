//! Random draws shared by the simulation: one item of a list, or one of a weighted list.
//!
//! The order and number of draws is part of what a seed means: the same seed replays the same
//! field work only while these functions draw exactly as they do now.

use rand::Rng;

/// One item of `items`, uniformly.
pub fn pick<'a, T, R: Rng + ?Sized>(rng: &mut R, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// An index into `weights`, each chosen in proportion to its weight.
pub fn weighted_index<R: Rng + ?Sized>(rng: &mut R, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut n = rng.random_range(0..total.max(1));
    for (i, w) in weights.iter().enumerate() {
        if n < *w {
            return i;
        }
        n -= w;
    }
    weights.len() - 1
}

/// One value of `items`, each chosen in proportion to the weight beside it.
pub fn weighted<T: Clone, R: Rng + ?Sized>(rng: &mut R, items: &[(T, u32)]) -> T {
    let weights: Vec<u32> = items.iter().map(|i| i.1).collect();
    items[weighted_index(rng, &weights)].0.clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    #[test]
    fn weights_are_honoured() {
        let mut rng = StdRng::seed_from_u64(3);
        let mut seen = [0u32; 3];
        for _ in 0..3000 {
            seen[weighted_index(&mut rng, &[0, 1, 2])] += 1;
        }
        assert_eq!(seen[0], 0);
        assert!(seen[2] > seen[1] * 3 / 2, "{seen:?}");
    }
}
