//! Byte-level scans: the fast paths under the in-place reader.
//!
//! Most of what the reader looks at stands as itself at every level: key and
//! URL characters, whitespace, brackets. These functions look at such runs
//! of bytes eight at a time (SWAR on `u64` words), sixteen at a time (SSE2),
//! 32 at a time (AVX2, where the CPU has it, for long runs: URLs and the
//! level-0 block scans), or hand over to `memchr`. Few of them know about
//! escapes: the level-0 block scans, where a backslash escapes the byte
//! after it and nothing else matters, and [`level_quote`], which finds where
//! a deeper string ends by the run arithmetic when nothing else can change
//! it; the rest of the escape arithmetic is the reader's business.
//!
//! The crate's `unsafe` code is all here, each block with its `// SAFETY:`
//! note, for measured wins (BENCHMARKS.md), and run under miri in CI:
//!
//! - [`ascii_str`] and [`plain_prefix`] turn a span they have just found to
//!   be printable ASCII into `&str` without a second UTF-8 check;
//! - `sse2_or!` calls the SSE2 compare-and-`movemask` functions behind
//!   `classify` and `stops` (`#[target_feature(enable = "sse2")]`, so
//!   calling them is `unsafe`), compiled only where the target has SSE2,
//!   with a byte-at-a-time twin for other targets that the tests hold them
//!   to;
//! - the AVX2 twins of the long scans (`long_run_avx2`, `each_block_avx2`,
//!   `#[target_feature(enable = "avx2")]`) are called only after
//!   `is_x86_feature_detected!("avx2")` has said the CPU has it; the tests
//!   hold them to the SSE2 and byte-at-a-time ones where it does. (Under
//!   miri, which reports no AVX2, the SSE2 paths are the ones run.)

use memchr::memchr2;

use crate::escape::{quote_word, simple_escape};

/// `$sse2`, a call of a function compiled with
/// `#[target_feature(enable = "sse2")]`, where the target has SSE2; its
/// byte-at-a-time twin `$twin` elsewhere.
macro_rules! sse2_or {
    ($sse2:expr, $twin:expr) => {{
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        {
            // SAFETY: the function called needs SSE2, and this is compiled
            // only where the target has it (every x86_64 target, as part of
            // its baseline, unless a build turns it off).
            #[allow(unsafe_code)]
            unsafe {
                $sse2
            }
        }
        #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
        {
            $twin
        }
    }};
}

/// The first `"` or `\\` in `hay`. Keys and the gaps between backslash runs
/// of embedded text are short, shorter than `memchr2`'s set-up costs: look
/// at the first words eight bytes at a time, then hand over.
#[inline]
pub(crate) fn find_stop(hay: &[u8]) -> Option<usize> {
    const HI: u64 = 0x8080_8080_8080_8080;
    const QUOTES: u64 = ONES * b'"' as u64;
    const SLASHES: u64 = ONES * b'\\' as u64;
    let mut at = 0;
    for w in hay.chunks_exact(8).take(4) {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        let x = u64::from_le_bytes(b);
        let (q, s) = (x ^ QUOTES, x ^ SLASHES);
        // A zero byte of q or s sets its top bit here; the lowest one set is
        // exact (only bits above a true zero byte can be false alarms).
        let found = (q.wrapping_sub(ONES) & !q | s.wrapping_sub(ONES) & !s) & HI;
        if found != 0 {
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    memchr2(b'"', b'\\', &hay[at..]).map(|i| i + at)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const LO: u64 = 0x2020_2020_2020_2020;
const HI: u64 = 0x8080_8080_8080_8080;

/// Whether `word` sets a top bit for any eight-byte word of `span` (read
/// little endian), or `byte` holds for any byte of the tail that does not
/// fill a word. The words' results are gathered without a branch each: the
/// spans are short and nearly always pass.
#[inline(always)]
fn any_word(span: &[u8], word: impl Fn(u64) -> u64, byte: impl Fn(u8) -> bool) -> bool {
    let mut words = span.chunks_exact(8);
    let mut acc = 0;
    for w in &mut words {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        acc |= word(u64::from_le_bytes(b));
    }
    acc & HI != 0 || words.remainder().iter().any(|&b| byte(b))
}

/// Whether every byte of `span` is printable ASCII or DEL (0x20 to 0x7F):
/// such a span is valid string content at every level. A byte below 0x20
/// borrows when 0x20 is taken from it; one above 0x7F has its top bit set.
#[inline]
pub(crate) fn plain_ascii(span: &[u8]) -> bool {
    !any_word(
        span,
        |x| x.wrapping_sub(LO) | x,
        |b| !(0x20..0x80).contains(&b),
    )
}

/// Whether `span` has a byte below 0x20: one that borrows when 0x20 is
/// taken from it and had its top bit clear.
#[inline]
pub(crate) fn has_control(span: &[u8]) -> bool {
    any_word(span, |x| x.wrapping_sub(LO) & !x, |b| b < 0x20)
}

/// Skips whitespace in level-`k` text that needs no general reader: a
/// space; at level 0 also tab, newline and carriage return; above it (up to
/// level 6) those written as the level below's escape, 2^(k-1) backslashes
/// and `t`, `n` or `r`, as every encoder that pretty-prints an embedded
/// level writes them. Anything else is for the general reader.
#[inline(always)]
pub(crate) fn skip_ws(buf: &[u8], k: u8, mut p: usize) -> usize {
    while let Some(&b) = buf.get(p) {
        // Most calls find a token at once.
        if b > b' ' && b != b'\\' {
            break;
        }
        if b == b' ' || (k == 0 && matches!(b, b'\r' | b'\t')) {
            p += 1;
        } else if b == b'\n' && k == 0 {
            p = indentation(buf, p + 1);
        } else if b == b'\\' && (1..=6).contains(&k) {
            // The letter first: a quote, the commonest run here, has a
            // backslash or `"` in its place.
            let h = 1usize << (k - 1);
            if !matches!(buf.get(p + h), Some(b't' | b'n' | b'r'))
                || !buf[p..p + h].iter().all(|&c| c == b'\\')
            {
                break;
            }
            p = indentation(buf, p + h + 1);
        } else {
            break;
        }
    }
    p
}

/// Past the spaces from `p`, counted a word at a time (the lowest byte that
/// differs ends them): the indentation after a newline.
#[inline(always)]
fn indentation(buf: &[u8], mut p: usize) -> usize {
    while let Some(w) = buf.get(p..p + 8) {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        let x = u64::from_le_bytes(b) ^ (ONES * u64::from(b' '));
        if x != 0 {
            return p + x.trailing_zeros() as usize / 8;
        }
        p += 8;
    }
    p
}

/// `span` as a `&str` if every byte is printable ASCII or DEL (0x20 to
/// 0x7F): content that stands as itself in a string at every level.
#[inline]
pub(crate) fn ascii_str(span: &[u8]) -> Option<&str> {
    if !plain_ascii(span) {
        return None;
    }
    debug_assert!(span.is_ascii());
    // SAFETY: `plain_ascii` checked that every byte of `span` is below 0x80,
    // and a sequence of ASCII bytes is valid UTF-8.
    #[allow(unsafe_code)]
    Some(unsafe { core::str::from_utf8_unchecked(span) })
}

/// The longest prefix of `hay` whose bytes stand as themselves in a string
/// at every level: printable ASCII or DEL (0x20 to 0x7F) other than `"` and
/// `\\`. Sixteen bytes at a time, one comparison of each kind for all of
/// them, so that a key or a URL is found to end and to be ASCII in one pass.
#[inline(always)]
pub(crate) fn plain_prefix(hay: &[u8]) -> &str {
    let mut at = 0;
    let n = 'found: {
        // Keys end in the first lane; past it the string is long (a URL),
        // and two lanes a round halve the rounds.
        if hay.len() >= 16 {
            let found = lane_at(hay, 0);
            if found != 0 {
                break 'found found.trailing_zeros() as usize;
            }
            at = match long_run(hay) {
                Ok(n) => break 'found n,
                Err(at) => at,
            };
            if at + 16 <= hay.len() {
                let found = lane_at(hay, at);
                if found != 0 {
                    break 'found at + found.trailing_zeros() as usize;
                }
                at += 16;
            }
        }
        // The tail, padded with a byte that stops the run.
        let rest = &hay[at..];
        let mut lane = [0u8; 16];
        lane[..rest.len()].copy_from_slice(rest);
        at + stops(&lane).trailing_zeros() as usize
    };
    let span = &hay[..n];
    debug_assert!(span.iter().all(|&b| (0x20..0x80).contains(&b)));
    // SAFETY: `stops` set a bit for every byte of the lanes before `n` that
    // is not in 0x20..=0x7F, and `n` is the first such bit, so `span` is
    // ASCII, which is valid UTF-8.
    #[allow(unsafe_code)]
    unsafe {
        core::str::from_utf8_unchecked(span)
    }
}

/// [`plain_prefix`] past its first lane, 32 bytes a round: `Ok` with the
/// first byte that does not stand as itself, or `Err` with where the rounds
/// ended, fewer than 32 bytes before the end.
#[inline(always)]
fn long_run(hay: &[u8]) -> Result<usize, usize> {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    if avx2() {
        // SAFETY: the CPU has AVX2, as `avx2` just found.
        #[allow(unsafe_code)]
        return unsafe { long_run_avx2(hay) };
    }
    long_run_sse2(hay)
}

/// [`long_run`] two SSE2 lanes a round (or their byte-at-a-time twins).
#[inline(always)]
fn long_run_sse2(hay: &[u8]) -> Result<usize, usize> {
    rounds(hay, |b| lane_at(b, 0) | lane_at(b, 16) << 16)
}

/// [`stops`] for the sixteen bytes of `hay` from `at`. Always inlined: a
/// call here costs more than the lane (as a closure, LLVM had kept it out
/// of line).
#[inline(always)]
fn lane_at(hay: &[u8], at: usize) -> u32 {
    let mut b = [0u8; 16];
    b.copy_from_slice(&hay[at..at + 16]);
    stops(&b)
}

/// The rounds of [`long_run`], with `stops32` marking the bytes of 32 that
/// do not stand as themselves.
#[inline(always)]
fn rounds(hay: &[u8], stops32: impl Fn(&[u8; 32]) -> u32) -> Result<usize, usize> {
    let mut at = 16;
    while at + 32 <= hay.len() {
        let mut round = [0u8; 32];
        round.copy_from_slice(&hay[at..at + 32]);
        let found = stops32(&round);
        if found != 0 {
            return Ok(at + found.trailing_zeros() as usize);
        }
        at += 32;
    }
    Err(at)
}

/// [`long_run`] with one AVX2 comparison of each kind a round.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "avx2")]
fn long_run_avx2(hay: &[u8]) -> Result<usize, usize> {
    rounds(hay, |b| stops_avx2(b))
}

/// Whether the CPU has AVX2, for the scans that cross long runs of bytes:
/// found once, then read from the standard library's cache.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn avx2() -> bool {
    std::is_x86_feature_detected!("avx2")
}

/// Bit `i` set when byte `i` of `lane` does not stand as itself: `"`, `\\`,
/// below 0x20 or above 0x7F.
#[inline(always)]
fn stops(lane: &[u8; 16]) -> u32 {
    sse2_or!(stops_sse2(lane), stops_scalar(lane))
}

/// The compare-and-`movemask` scans for one vector width, compiled with
/// the target feature `$feature`:
///
/// - `$load`: `$width` bytes into a vector register, one unaligned load
///   (`$loadu`) of a lane that has that many bytes by its type (built from
///   words instead, the AVX2 load compiled to five instructions);
/// - `$stops`: [`stops`] for `$width` bytes, one comparison of each kind;
/// - `$classify`: [`classify`] `$width` bytes at a time.
macro_rules! vector_scans {
    (
        $feature:literal, $width:literal, $mask:ty, $vec:ident,
        $loadu:ident,
        $load:ident, $stops:ident, $classify:ident,
        $set1:ident, $eq:ident, $gt:ident, $or:ident, $movemask:ident $(,)?
    ) => {
        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        #[inline]
        #[target_feature(enable = $feature)]
        fn $load(lane: &[u8; $width]) -> core::arch::x86_64::$vec {
            // SAFETY: `lane` is `$width` bytes, all that the unaligned load
            // reads from its start.
            #[allow(unsafe_code)]
            unsafe {
                core::arch::x86_64::$loadu(lane.as_ptr().cast())
            }
        }

        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        #[inline]
        #[target_feature(enable = $feature)]
        fn $stops(lane: &[u8; $width]) -> u32 {
            use core::arch::x86_64::{$eq, $gt, $movemask, $or, $set1};
            let v = $load(lane);
            // Signed, bytes above 0x7F are below 0x20 too.
            let low = $gt($set1(0x20), v);
            let quote = $eq(v, $set1(b'"' as i8));
            let slash = $eq(v, $set1(b'\\' as i8));
            u32::from($movemask($or(low, $or(quote, slash))) as $mask)
        }

        #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
        #[inline]
        #[target_feature(enable = $feature)]
        fn $classify(block: &[u8; 64]) -> Bits {
            use core::arch::x86_64::{$eq, $gt, $movemask, $set1};
            let quote = $set1(b'"' as i8);
            let slash = $set1(b'\\' as i8);
            let space = $set1(0x20);
            let mut b = Bits {
                quotes: 0,
                slashes: 0,
                odd: 0,
            };
            for (i, lane) in block.chunks_exact($width).enumerate() {
                // Always a whole lane: 64 is a multiple of the width.
                let v = $load(lane.try_into().unwrap_or(&[0; $width]));
                let bits = |m| u64::from($movemask(m) as $mask) << ($width * i);
                b.quotes |= bits($eq(v, quote));
                b.slashes |= bits($eq(v, slash));
                // Signed, bytes above 0x7F are below 0x20 too.
                b.odd |= bits($gt(space, v));
            }
            b
        }
    };
}

vector_scans!(
    "sse2",
    16,
    u16,
    __m128i,
    _mm_loadu_si128,
    load_sse2,
    stops_sse2,
    classify_sse2,
    _mm_set1_epi8,
    _mm_cmpeq_epi8,
    _mm_cmpgt_epi8,
    _mm_or_si128,
    _mm_movemask_epi8,
);
vector_scans!(
    "avx2",
    32,
    u32,
    __m256i,
    _mm256_loadu_si256,
    load_avx2,
    stops_avx2,
    classify_avx2,
    _mm256_set1_epi8,
    _mm256_cmpeq_epi8,
    _mm256_cmpgt_epi8,
    _mm256_or_si256,
    _mm256_movemask_epi8,
);

/// [`stops`] a byte at a time: the definition, and the path for targets
/// other than x86_64.
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
fn stops_scalar(lane: &[u8; 16]) -> u32 {
    let mut found = 0;
    for (i, &b) in lane.iter().enumerate() {
        let plain = (0x20..0x80).contains(&b) && b != b'"' && b != b'\\';
        found |= u32::from(!plain) << i;
    }
    found
}

/// Where the first `"` at or after `from` that no backslash escapes is: the
/// end of a level-0 string whose content runs from `from` (a byte that is
/// not itself escaped). `None` when there is none.
///
/// Only the parity of each backslash run matters here, which is what lets
/// the embedded text of a level-0 string be crossed 64 bytes at a time
/// rather than one backslash run at a time (simdjson's escape scan): its
/// quotes and backslashes are classified into bitmaps, and a carry says
/// whether a block starts escaped.
pub(crate) fn unescaped_quote(buf: &[u8], from: usize) -> Option<usize> {
    let mut escaped_in = 0;
    each_block(buf, from, |at, b| {
        let open = b.quotes & !escapes(b.slashes, &mut escaped_in);
        (open != 0).then(|| at + open.trailing_zeros() as usize)
    })
}

/// How many backslashes run from `p`, counted a word at a time (the lowest
/// byte that differs ends the run, as in [`indentation`]).
#[inline]
pub(crate) fn backslashes(buf: &[u8], mut p: usize) -> usize {
    let from = p;
    while let Some(w) = buf.get(p..p + 8) {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        let x = u64::from_le_bytes(b) ^ (ONES * u64::from(b'\\'));
        if x != 0 {
            return p - from + x.trailing_zeros() as usize / 8;
        }
        p += 8;
    }
    p - from + buf[p..].iter().take_while(|&&b| b == b'\\').count()
}

/// Where a level-`k` string (`k` ≥ 1) whose content runs from `from` (a
/// character boundary) ends, by the backslash arithmetic alone: `(end,
/// next)`, the start of its closing quote run and the byte after it. For a
/// lazy skip, which checks only what it needs to find the end.
///
/// A quote after a run of `n` backslashes closes the string when `n` is
/// `2^k − 1` plus pairs of level-`k` backslashes (`2^(k+1)` bytes each); one
/// level deeper (`n ≡ 2^(k+1) − 1`) it is a quote inside it. `None` when the
/// arithmetic alone cannot tell: a `\u` after a run (a lower level's
/// `\u0022` or `\u005c` writes a quote or backslash of this one), a quote
/// of a lower level (it ends the text the string is in: an error for the
/// reader to report), or the end of the input. The reader goes on from
/// `from` the general way then.
pub(crate) fn level_quote(buf: &[u8], k: u8, from: usize) -> Option<(usize, usize)> {
    let q = 1usize << k;
    let mut p = from;
    loop {
        let h = p + find_stop(buf.get(p..)?)?;
        // Level 2 (the response's inner level) by words: its own closing
        // quote, or a quote one level in, the runs its text is made of.
        if k == 2 {
            if let Some(w) = buf.get(h..h + 8) {
                let w = u64::from_le_bytes(w.try_into().ok()?);
                if w as u32 == quote_word(2) as u32 {
                    return Some((h, h + 4));
                }
                if w == quote_word(3) {
                    p = h + 8;
                    continue;
                }
            }
        }
        let n = backslashes(buf, h);
        match buf.get(h + n)? {
            b'"' if (n + 1) % q != 0 => return None,
            b'"' if n % (2 * q) == q - 1 => return Some((h + n + 1 - q, h + n + 1)),
            b'u' => return None,
            _ => p = h + n + 1,
        }
    }
}

/// `a == b`, for keys: a word or two compared in registers rather than a
/// call to `memcmp` (most keys are shorter than 16 bytes).
#[inline(always)]
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    // Two words that overlap when `n` is not a multiple of their size.
    let word = |s: &[u8], at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&s[at..at + 8]);
        u64::from_le_bytes(w)
    };
    let half = |s: &[u8], at: usize| {
        let mut w = [0u8; 4];
        w.copy_from_slice(&s[at..at + 4]);
        u32::from_le_bytes(w)
    };
    match n {
        0..=3 => a.iter().zip(b).all(|(x, y)| x == y),
        4..=7 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        _ => a == b,
    }
}

/// A level-0 string checked strictly from `from` (a byte that is not itself
/// escaped), 64 bytes at a time, for the common content: printable ASCII
/// and the one-letter escapes `\" \\ \/ \b \f \n \r \t`. `Ok` with its
/// closing quote when all of it is such; else `Err` with the start of a
/// block from which the byte-at-a-time reader must go on (no escape runs
/// into it, and nothing before it is wrong). With it, whether a backslash
/// came before the end or that block.
pub(crate) fn checked_end0(buf: &[u8], from: usize) -> (Result<usize, usize>, bool) {
    let mut escaped_in = 0;
    let mut resume = from;
    let mut slashed = false;
    let end = each_block(buf, from, |at, b| {
        let escaped = escapes(b.slashes, &mut escaped_in);
        let open = b.quotes & !escaped;
        let before = match open {
            0 => !0,
            _ => (1u64 << open.trailing_zeros()) - 1,
        };
        slashed |= b.slashes & before != 0;
        let mut bad = b.odd & before;
        // Escaped bytes other than `"` and `\` are rare: each looked at,
        // out of the loop.
        let letters = escaped & !(b.quotes | b.slashes) & before;
        if letters != 0 {
            bad |= bad_letters(buf, at, letters);
        }
        if bad != 0 {
            return Some(Err(resume));
        }
        if open != 0 {
            return Some(Ok(at + open.trailing_zeros() as usize));
        }
        if escaped_in == 0 {
            resume = at + 64;
        }
        None
    });
    (end.unwrap_or(Err(resume)), slashed)
}

/// The bits of `letters`, escaped bytes of the block at `at`, that are not
/// one-letter escapes.
#[cold]
#[inline(never)]
fn bad_letters(buf: &[u8], at: usize, mut letters: u64) -> u64 {
    let mut bad = 0;
    while letters != 0 {
        let i = letters.trailing_zeros() as usize;
        if !buf
            .get(at + i)
            .is_some_and(|&c| simple_escape(c.into()).is_some())
        {
            bad |= 1 << i;
        }
        letters &= letters - 1;
    }
    bad
}

/// Calls `f` with the start and [`Bits`] of each 64-byte block of `buf`
/// from `from` (the last padded with zero bytes) until it returns
/// something.
#[inline(always)]
fn each_block<R>(buf: &[u8], from: usize, f: impl FnMut(usize, Bits) -> Option<R>) -> Option<R> {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    if avx2() {
        // SAFETY: the CPU has AVX2, as `avx2` just found.
        #[allow(unsafe_code)]
        return unsafe { each_block_avx2(buf, from, f) };
    }
    blocks(buf, from, f, classify)
}

/// [`each_block`] with every block classified by AVX2, the loop and `f`
/// compiled for it.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "avx2")]
fn each_block_avx2<R>(
    buf: &[u8],
    from: usize,
    f: impl FnMut(usize, Bits) -> Option<R>,
) -> Option<R> {
    blocks(buf, from, f, |b| classify_avx2(b))
}

/// The loop of [`each_block`], with `classify` for the [`Bits`].
#[inline(always)]
fn blocks<R>(
    buf: &[u8],
    from: usize,
    mut f: impl FnMut(usize, Bits) -> Option<R>,
    classify: impl Fn(&[u8; 64]) -> Bits,
) -> Option<R> {
    let mut at = from;
    let mut blocks = buf.get(from..)?.chunks_exact(64);
    for block in &mut blocks {
        if let Some(r) = f(at, classify(block.try_into().ok()?)) {
            return Some(r);
        }
        at += 64;
    }
    let rest = blocks.remainder();
    let mut block = [0u8; 64];
    block[..rest.len()].copy_from_slice(rest);
    f(at, classify(&block))
}

/// The bytes of a block that are escaped, given its backslash bitmap and
/// whether its first byte is escaped by a run from the block before
/// (`escaped_in`, 0 or 1, updated for the next one).
#[inline(always)]
fn escapes(slashes: u64, escaped_in: &mut u64) -> u64 {
    const EVEN: u64 = 0x5555_5555_5555_5555;
    // A backslash that is itself escaped starts nothing.
    let slashes = slashes & !*escaped_in;
    let follows = slashes << 1 | *escaped_in;
    // Runs starting on an odd bit: adding the run to its start carries
    // past its end, flipping the parity pattern after runs of odd length.
    let odd_starts = slashes & !EVEN & !follows;
    let (even_runs, carry) = odd_starts.overflowing_add(slashes);
    *escaped_in = u64::from(carry);
    (EVEN ^ (even_runs << 1)) & follows
}

/// The bitmaps of a 64-byte block: bit `i` is set when byte `i` is...
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Bits {
    /// ... `"`;
    quotes: u64,
    /// ... `\`;
    slashes: u64,
    /// ... below 0x20 or above 0x7F (not plain ASCII).
    odd: u64,
}

/// The [`Bits`] of a 64-byte block.
#[inline(always)]
fn classify(block: &[u8; 64]) -> Bits {
    sse2_or!(classify_sse2(block), classify_scalar(block))
}

/// [`classify`] a byte at a time: the definition, and the path for targets
/// other than x86_64.
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
fn classify_scalar(block: &[u8; 64]) -> Bits {
    let mut b = Bits {
        quotes: 0,
        slashes: 0,
        odd: 0,
    };
    for (i, &c) in block.iter().enumerate() {
        b.quotes |= u64::from(c == b'"') << i;
        b.slashes |= u64::from(c == b'\\') << i;
        b.odd |= u64::from(!(0x20..0x80).contains(&c)) << i;
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs of up to 40 backslashes at every offset up to 9 (under miri, up
    /// to 17 at offsets up to 2), ended by each kind of byte or by the end:
    /// counted whole, and from inside them.
    #[test]
    fn backslash_runs_counted_whole() {
        let (offsets, runs) = if cfg!(miri) { (3, 17) } else { (10, 40) };
        let mut checked = 0;
        for before in 0..offsets {
            for run in 0..=runs {
                for end in [&b""[..], b"\"", b"a", b"\xff", b"u0022"] {
                    let buf = [&vec![b'a'; before][..], &vec![b'\\'; run], end].concat();
                    for p in 0..=buf.len() {
                        let want = buf[p..].iter().take_while(|&&b| b == b'\\').count();
                        assert_eq!(backslashes(&buf, p), want, "{buf:?} from {p}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > if cfg!(miri) { 1_500 } else { 15_000 });
    }

    /// Keys of every length up to 24 against themselves, against every
    /// one-byte change, and against each one byte shorter or longer: `same`
    /// is `==`.
    #[test]
    fn keys_compare_as_slices_do() {
        let mut checked = 0;
        for n in 0..=24usize {
            let a: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
            let mut others = vec![a.clone(), a[..n.saturating_sub(1)].to_vec()];
            others.push([&a[..], b"x"].concat());
            for i in 0..n {
                let mut b = a.clone();
                b[i] ^= 0x20;
                others.push(b);
            }
            for b in &others {
                assert_eq!(same(&a, b), a == *b, "{a:?} {b:?}");
                checked += 1;
            }
        }
        assert_eq!(checked, 25 * 3 + (0..=24).sum::<usize>());
    }

    /// Spans of every length up to 40 with two odd bytes at every pair of
    /// places (under miri, where it is slow: up to 20, one odd byte): the
    /// word scans agree with the byte-at-a-time definitions, and `ascii_str`
    /// hands out exactly what `from_utf8` would, or nothing.
    #[test]
    fn scans_agree_with_bytewise_definitions() {
        let odd = [0x00, 0x1F, 0x20, b'"', b'\\', 0x7E, 0x7F, 0x80, 0xC3, 0xFF];
        let (max, pairs) = if cfg!(miri) { (20, false) } else { (40, true) };
        let mut checked = 0;
        for len in 0..max {
            for at in 0..len.max(1) {
                let last = if pairs { len.max(1) } else { at + 1 };
                for later in at..last {
                    for &b in &odd {
                        for &c in if pairs { &odd[..] } else { &[b'a'][..] } {
                            let mut span = vec![b'a'; len];
                            if len > 0 {
                                span[later] = c;
                                span[at] = b;
                            }
                            check_scans(&span);
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > if pairs { 1_000_000 } else { 1_900 });
    }

    fn check_scans(span: &[u8]) {
        let ascii = span.iter().all(|b| (0x20..0x80).contains(b));
        assert_eq!(plain_ascii(span), ascii, "{span:?}");
        assert_eq!(has_control(span), span.iter().any(|&b| b < 0x20));
        let stop = span.iter().position(|&b| b == b'"' || b == b'\\');
        assert_eq!(find_stop(span), stop);
        let want = ascii.then(|| core::str::from_utf8(span).unwrap());
        assert_eq!(ascii_str(span), want);
        let plain = |b: &u8| (0x20..0x80).contains(b) && *b != b'"' && *b != b'\\';
        let run = span.iter().position(|b| !plain(b)).unwrap_or(span.len());
        assert_eq!(plain_prefix(span).as_bytes(), &span[..run], "{span:?}");
        if let Some(lane) = span.get(..16) {
            let lane: &[u8; 16] = lane.try_into().unwrap();
            assert_eq!(stops(lane), stops_scalar(lane));
        }
        // Past the first lane, every way of crossing the rounds.
        if span.len() >= 16 && run >= 16 {
            let rounds_end = 16 + (span.len() - 16) / 32 * 32;
            let want = if run < rounds_end {
                Ok(run)
            } else {
                Err(rounds_end)
            };
            assert_eq!(long_run_sse2(span), want, "{span:?}");
            #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
            if avx2() {
                // SAFETY: the CPU has AVX2.
                #[allow(unsafe_code)]
                let got = unsafe { long_run_avx2(span) };
                assert_eq!(got, want, "{span:?}");
            }
        }
    }

    /// Strings past the first lane and the rounds: one byte that does not
    /// stand as itself at every place of spans up to 130 bytes long (under
    /// miri, lengths about the ends of the first two rounds, two such bytes).
    #[test]
    fn long_runs_end_where_bytes_stop_standing() {
        let all = [0x00, 0x1F, b'"', b'\\', 0x7F, 0x80, 0xFF];
        let (lens, odd): (Vec<usize>, &[u8]) = if cfg!(miri) {
            (vec![16, 47, 48, 49, 80, 81], &[b'"', 0xFF])
        } else {
            ((16..=130).collect(), &all)
        };
        let mut checked = 0;
        for len in lens {
            for at in 0..=len {
                for &b in if at == len { &odd[..1] } else { odd } {
                    let mut span = vec![b'a'; len];
                    if at < len {
                        span[at] = b;
                    }
                    check_scans(&span);
                    checked += 1;
                }
            }
        }
        assert!(checked > if cfg!(miri) { 600 } else { 50_000 });
    }

    /// The first unescaped quote, a byte at a time: the definition.
    fn unescaped_quote_bytewise(buf: &[u8], from: usize) -> Option<usize> {
        let mut i = from;
        while let Some(&b) = buf.get(i) {
            match b {
                b'\\' => i += 2,
                b'"' => return Some(i),
                _ => i += 1,
            }
        }
        None
    }

    /// A strict level-0 string's content from `from`, a byte at a time, for
    /// what `checked_end0` settles: `Ok` with its end when it is printable
    /// ASCII and one-letter escapes, `Err` with every place a character
    /// starts on the way (where the byte-at-a-time reader may go on from)
    /// when it is anything else or does not end.
    fn checked_bytewise(buf: &[u8], from: usize) -> Result<usize, Vec<usize>> {
        let mut starts = vec![];
        let mut i = from;
        loop {
            starts.push(i);
            match buf.get(i) {
                Some(b'"') => return Ok(i),
                Some(b'\\') => match buf.get(i + 1) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                    _ => return Err(starts),
                },
                Some(0x20..=0x7F) => i += 1,
                _ => return Err(starts),
            }
        }
    }

    /// Both block scans from `from` against their bytewise definitions.
    fn check_blocks(buf: &[u8], from: usize) {
        let want = unescaped_quote_bytewise(buf, from);
        assert_eq!(unescaped_quote(buf, from), want, "{buf:?} from {from}");
        let (got, slashed) = checked_end0(buf, from);
        match (got, checked_bytewise(buf, from)) {
            (Ok(end), Ok(want)) => {
                assert_eq!(end, want, "{buf:?} from {from}");
                assert_eq!(slashed, buf[from..end].contains(&b'\\'));
            }
            (Err(at), Err(starts)) => {
                assert!(starts.contains(&at), "{buf:?} from {from}: {at}");
                assert!(slashed || !buf[from..at].contains(&b'\\'));
            }
            (got, want) => panic!("{buf:?} from {from}: {got:?}, want {want:?}"),
        }
    }

    /// Every string of up to five (under miri, three) of `a \ " n u` and a
    /// control byte, and of up to eight of `a \ "`, starting at every place
    /// around a block's end, and longer pseudo-random ones: the block scans
    /// agree with the bytewise definitions, and both classifications agree.
    #[test]
    fn block_scans_agree_with_bytewise_definitions() {
        let leads: &[usize] = if cfg!(miri) {
            &[0, 63]
        } else {
            &[0, 1, 57, 60, 63, 64, 65]
        };
        let mut checked = 0;
        for (alphabet, max) in [
            (&b"a\\\"nu\x01"[..], if cfg!(miri) { 3 } else { 5 }),
            (&b"a\\\""[..], if cfg!(miri) { 4 } else { 8 }),
        ] {
            let base = alphabet.len();
            for len in 0..=max {
                for n in 0..base.pow(len) {
                    let mut tail = Vec::new();
                    let mut m = n;
                    for _ in 0..len {
                        tail.push(alphabet[m % base]);
                        m /= base;
                    }
                    for &lead in leads {
                        let mut buf = vec![b'x'; lead];
                        buf.extend_from_slice(&tail);
                        for from in [0, lead.saturating_sub(3), lead] {
                            check_blocks(&buf, from);
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > if cfg!(miri) { 1_000 } else { 300_000 });
        // Long runs and many blocks: a small xorshift generator, with
        // backslashes common so that runs cross block ends.
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..if cfg!(miri) { 20 } else { 2_000 } {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 400) as usize;
            let rare = (x >> 40) % 4 == 0;
            let buf: Vec<u8> = (0..len)
                .map(|i| match (x >> (i % 61)) % 9 {
                    0..=3 => b'\\',
                    4 => b'"',
                    5 if rare => 0xFF,
                    6 if rare => b'u',
                    7 => b'n',
                    _ => b'a',
                })
                .collect();
            let from = (x as usize >> 9) % (len + 1);
            check_blocks(&buf, from);
            let mut block = [0u8; 64];
            let n = len.min(64);
            block[..n].copy_from_slice(&buf[..n]);
            assert_eq!(classify(&block), classify_scalar(&block));
            #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
            if avx2() {
                // SAFETY: the CPU has AVX2.
                #[allow(unsafe_code)]
                let got = unsafe { classify_avx2(&block) };
                assert_eq!(got, classify_scalar(&block));
            }
        }
    }

    #[test]
    fn whitespace_skipped_by_bytes() {
        let text = b"  \n            \t\r x";
        assert_eq!(skip_ws(text, 0, 0), text.len() - 1);
        // Above level 0, raw control bytes are not whitespace but errors;
        // whitespace escaped at the level below is.
        assert_eq!(skip_ws(text, 1, 0), 2);
        assert_eq!(skip_ws(b"   ", 2, 0), 3);
        let escaped = br"  \\n          \\t\\r x";
        assert_eq!(skip_ws(escaped, 2, 0), escaped.len() - 1);
        assert_eq!(skip_ws(escaped, 1, 0), 2);
        assert_eq!(skip_ws(escaped, 3, 0), 2);
        assert_eq!(skip_ws(br"\\\\n", 3, 0), 5);
        assert_eq!(skip_ws(br"\\\n", 2, 0), 0);
        assert_eq!(skip_ws(br" \\u000a", 2, 0), 1);
    }
}
