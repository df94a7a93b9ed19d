// Display order for labels holding right-to-left names (Hebrew, Arabic,
// Syriac, Thaana, N'Ko…): a simplified Unicode Bidirectional Algorithm for
// one left-to-right line.
//
// A right-to-left run — from a right-to-left letter to the last one before
// any left-to-right letter, with the spaces, punctuation and digits between
// them — is shown mirrored: its letters right to left, each with its
// combining marks, numbers inside it still read left to right, brackets
// inside it mirrored. Neutrals and digits after a run's last letter stay
// outside it, as if the name were isolated (FSI…PDI): "محمد #6 0.91" shows
// the name right to left and the "#6 0.91" that follows in order. Letters
// are not shaped: Arabic shows each letter's isolated form.
#pragma once

#include <vector>

namespace frameserve::overlay {

// `logical` (stored order) rearranged for drawing left to right; the same
// characters, brackets inside right-to-left runs swapped for their mirror.
// Never fails; text without right-to-left letters comes back unchanged.
std::vector<char32_t> visual_order(std::vector<char32_t> logical);

}  // namespace frameserve::overlay
