"""Wright's fitness landscapes on genotypes: Kauffman's NK model, peaks, adaptive walks."""
import itertools

import numpy as np


class NK:
    """Kauffman's NK landscape: ``N`` binary loci, each locus's contribution depends on ``K`` others.

    Parameters
    ----------
    N, K : int
        Loci and epistatic interactions per locus (``0 <= K < N``); K = 0 is smooth (one peak),
        larger K is more rugged.
    seed : int
    """

    def __init__(self, N=10, K=2, seed=0):
        if not (isinstance(N, int) and isinstance(K, int) and 0 <= K < N <= 16):
            raise ValueError(f"need integers 0 <= K < N <= 16; got N={N}, K={K}")
        rng = np.random.default_rng(seed)
        self.N, self.K = N, K
        self.tables = rng.random((N, 2 ** (K + 1)))
        self.genotypes = np.array(list(itertools.product([0, 1], repeat=N)))
        self.values = self.fitness(self.genotypes)

    def fitness(self, g):
        """Mean contribution of the loci, for genotypes ``g`` of shape ``(..., N)`` in {0, 1}."""
        g = np.asarray(g, dtype=int)
        idx = np.zeros(g.shape[:-1] + (self.N,), dtype=int)
        for j in range(self.K + 1):
            idx = idx * 2 + np.roll(g, -j, axis=-1)
        return self.tables[np.arange(self.N), idx].mean(axis=-1)

    def _index(self, g):
        return np.asarray(g) @ (2 ** np.arange(self.N - 1, -1, -1))

    def neighbours(self):
        """Index of each genotype's N one-mutation neighbours, shape ``(2**N, N)``."""
        flips = self.genotypes[:, None, :] ^ np.eye(self.N, dtype=int)[None]
        return self._index(flips)

    def peaks(self):
        """Indices of local maxima: no single mutation increases fitness."""
        nb = self.neighbours()
        return np.flatnonzero(np.all(self.values[:, None] > self.values[nb], axis=1))

    def adaptive_walk(self, start):
        """Greedy uphill walk (fittest single mutant each step) to a peak; returns the peak's index."""
        nb, i = self.neighbours(), int(start)
        while True:
            j = nb[i][np.argmax(self.values[nb[i]])]
            if self.values[j] <= self.values[i]:
                return i
            i = j
