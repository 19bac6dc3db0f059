"""Nearest clusterbook entry of every token by cosine similarity."""
import torch.nn.functional as F


def codebook_index(tokens, codebook):
    """``tokens (B, P, C)``, ``codebook (M, C)`` -> ``(B, P)`` long: ``argmax_k cos(token, c_k)``.

    Ties go to the smallest index; a zero token has all cosines 0 and gets index 0.
    """
    flat = F.normalize(tokens.reshape(-1, tokens.shape[-1]), dim=1)
    cosine = flat @ F.normalize(codebook, dim=1).T
    return cosine.argmax(dim=1).view(tokens.shape[:-1])


def quantize(tokens, codebook):
    """``tokens (B, P, C)`` -> ``(B, P, C)``: the raw (un-normalised) codebook row of each token."""
    return codebook[codebook_index(tokens, codebook)]
