;; f64x2 SIMD matrix-product kernel of eos-lab: C ← C + op(A)·op(B) on packed panels in linear memory.
;;
;; This file is the source of src/linalg/wasm/gemm-wasm-bytes.ts, which `npm run build:wasm`
;; (scripts/build-wasm.ts, wabt's wat2wasm) regenerates; test/linalg/wasm-source.test.ts checks that
;; reassembling this file gives exactly the committed bytes.
;;
;; Layout (all offsets in bytes, all numbers float64):
;; - A is packed in panels of MR = 4 rows: element (i, p) of op(A) is at
;;   aPack + 8·((i/4)·k·4 + p·4 + i%4). Rows past m are zeros.
;; - B is packed in panels of NR = 4 columns: element (p, j) of op(B) is at
;;   bPack + 8·((j/4)·k·4 + p·4 + j%4). Columns past n are zeros.
;; - C is a dense row-major (4·mPanels) × ldc block at c (ldc ≥ 4·nPanels, in elements); the padding rows and
;;   columns receive zeros-times-data and are never read back.
;;
;; Summation order (why it matches the JavaScript kernels of src/linalg/gemm-js.ts bit for bit): the inner
;; dimension is cut into blocks of kc; for each block, every entry's partial sum starts at +0 and adds the
;; products A_ip·B_pj left to right in p (one lane per entry, f64x2.mul then f64x2.add: no fused multiply-add,
;; which WebAssembly never contracts), and only then is added to C. The JavaScript kernels do exactly this with
;; the same kc, so both give identical results for every shape.
;;
;; Loop order (Goto & van de Geijn's layering, without the outer n-block): for each kc block, for each block of
;; up to mcPanels A panels (≈ 4·mcPanels·kc·8 bytes, meant to stay in L2), for each B panel (4·kc·8 bytes, stays
;; in L1 while every A panel of the block streams past it), one 4 × 4 register tile.
(module
  (memory (export "memory") 1)

  ;; C[0:4, 0:4] (row stride ldcBytes) += Σ_{p<kb} a[p]·b[p]ᵀ with a[p] = 4 doubles at a + 32p and b[p] = 4
  ;; doubles at b + 32p. Eight f64x2 accumulators hold the tile (row r, columns 0-1 in $cr0, 2-3 in $cr1).
  (func $tile (param $kb i32) (param $a i32) (param $b i32) (param $c i32) (param $ldcBytes i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (loop $p
      (local.set $b0 (v128.load (local.get $b)))
      (local.set $b1 (v128.load offset=16 (local.get $b)))
      (local.set $x (v128.load64_splat (local.get $a)))
      (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load64_splat offset=8 (local.get $a)))
      (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load64_splat offset=16 (local.get $a)))
      (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load64_splat offset=24 (local.get $a)))
      (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $a (i32.add (local.get $a) (i32.const 32)))
      (local.set $b (i32.add (local.get $b) (i32.const 32)))
      (br_if $p (local.tee $kb (i32.sub (local.get $kb) (i32.const 1)))))
    ;; C += tile, row by row.
    (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c00)))
    (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c01)))
    (local.set $c (i32.add (local.get $c) (local.get $ldcBytes)))
    (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c10)))
    (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c11)))
    (local.set $c (i32.add (local.get $c) (local.get $ldcBytes)))
    (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c20)))
    (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c21)))
    (local.set $c (i32.add (local.get $c) (local.get $ldcBytes)))
    (v128.store (local.get $c) (f64x2.add (v128.load (local.get $c)) (local.get $c30)))
    (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c31))))

  ;; C ← C + op(A)·op(B) for packed A (mPanels panels) and B (nPanels panels) of inner dimension k ≥ 1, in
  ;; blocks of kc ≥ 1 along k and of mcPanels ≥ 1 A panels. ldc is C's leading dimension in elements.
  (func (export "gemm")
    (param $mPanels i32) (param $nPanels i32) (param $k i32) (param $kc i32) (param $mcPanels i32)
    (param $aPack i32) (param $bPack i32) (param $c i32) (param $ldc i32)
    (local $p0 i32) (local $kb i32) (local $ic i32) (local $icEnd i32) (local $jp i32) (local $ip i32)
    (local $ldcBytes i32) (local $panelBytes i32)
    (local.set $ldcBytes (i32.shl (local.get $ldc) (i32.const 3)))
    ;; one panel (A or B) spans k·4 doubles = 32k bytes
    (local.set $panelBytes (i32.shl (local.get $k) (i32.const 5)))
    (loop $blockK
      (local.set $kb (i32.sub (local.get $k) (local.get $p0)))
      (if (i32.gt_u (local.get $kb) (local.get $kc)) (then (local.set $kb (local.get $kc))))
      (local.set $ic (i32.const 0))
      (loop $blockM
        (local.set $icEnd (i32.add (local.get $ic) (local.get $mcPanels)))
        (if (i32.gt_u (local.get $icEnd) (local.get $mPanels)) (then (local.set $icEnd (local.get $mPanels))))
        (local.set $jp (i32.const 0))
        (loop $panelB
          (local.set $ip (local.get $ic))
          (loop $panelA
            (call $tile
              (local.get $kb)
              ;; A panel ip from row p0: aPack + ip·32k + 32·p0
              (i32.add (local.get $aPack)
                (i32.add (i32.mul (local.get $ip) (local.get $panelBytes)) (i32.shl (local.get $p0) (i32.const 5))))
              ;; B panel jp from row p0
              (i32.add (local.get $bPack)
                (i32.add (i32.mul (local.get $jp) (local.get $panelBytes)) (i32.shl (local.get $p0) (i32.const 5))))
              ;; C tile (4·ip, 4·jp)
              (i32.add (local.get $c)
                (i32.add (i32.mul (i32.shl (local.get $ip) (i32.const 2)) (local.get $ldcBytes))
                  (i32.shl (local.get $jp) (i32.const 5))))
              (local.get $ldcBytes))
            (br_if $panelA (i32.lt_u (local.tee $ip (i32.add (local.get $ip) (i32.const 1))) (local.get $icEnd))))
          (br_if $panelB (i32.lt_u (local.tee $jp (i32.add (local.get $jp) (i32.const 1))) (local.get $nPanels))))
        (br_if $blockM (i32.lt_u (local.tee $ic (local.get $icEnd)) (local.get $mPanels))))
      (br_if $blockK (i32.lt_u (local.tee $p0 (i32.add (local.get $p0) (local.get $kb))) (local.get $k)))))
;; dst ← panels of 4 rows of M(i, p) = f64 at src + i·rowStride + p·innerStride (byte strides), i < count,
  ;; p < k, each panel p-major (4 doubles per p, 32k bytes per panel); rows past count are zeros. This is the
  ;; packing of op(A) (rows i of C) and of op(B) (columns j of C): transposed or not, only the strides differ.
  (func (export "pack")
    (param $src i32) (param $rowStride i32) (param $innerStride i32) (param $count i32) (param $k i32) (param $dst i32)
    (local $i i32) (local $p i32) (local $s i32) (local $rows i32) (local $r i32)
    (local $rowStride2 i32) (local $rowStride3 i32)
    (local.set $rowStride2 (i32.shl (local.get $rowStride) (i32.const 1)))
    (local.set $rowStride3 (i32.add (local.get $rowStride2) (local.get $rowStride)))
    (block $done
      (loop $panel
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $rows (i32.sub (local.get $count) (local.get $i)))
        (local.set $s (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $rowStride))))
        (local.set $p (local.get $k))
        (if (i32.ge_u (local.get $rows) (i32.const 4))
          (then
            ;; a full panel: four loads and four stores per p
            (loop $full
              (f64.store (local.get $dst) (f64.load (local.get $s)))
              (f64.store offset=8 (local.get $dst) (f64.load (i32.add (local.get $s) (local.get $rowStride))))
              (f64.store offset=16 (local.get $dst) (f64.load (i32.add (local.get $s) (local.get $rowStride2))))
              (f64.store offset=24 (local.get $dst) (f64.load (i32.add (local.get $s) (local.get $rowStride3))))
              (local.set $s (i32.add (local.get $s) (local.get $innerStride)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
              (br_if $full (local.tee $p (i32.sub (local.get $p) (i32.const 1))))))
          (else
            ;; the last, partial panel: rows r < rows from M, the others zero
            (loop $partial
              (local.set $r (i32.const 0))
              (loop $row
                (f64.store (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 3)))
                  (if (result f64) (i32.lt_u (local.get $r) (local.get $rows))
                    (then (f64.load (i32.add (local.get $s) (i32.mul (local.get $r) (local.get $rowStride)))))
                    (else (f64.const 0))))
                (br_if $row (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (i32.const 4))))
              (local.set $s (i32.add (local.get $s) (local.get $innerStride)))
              (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
              (br_if $partial (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $panel))))

  ;; dst[i·dstLd + j] ← β·src[i·srcLd + j] for i < rows, j < cols (leading dimensions in elements; β = 1 copies
  ;; exactly, since x·1 = x). Moves C between its caller's layout and the kernel's padded one; entries of dst
  ;; outside the rows × cols block are not touched.
  (func (export "copyBlock")
    (param $src i32) (param $srcLd i32) (param $dst i32) (param $dstLd i32) (param $rows i32) (param $cols i32)
    (param $beta f64)
    (local $j i32) (local $srcLdBytes i32) (local $dstLdBytes i32) (local $colsBytes i32)
    (if (i32.or (i32.eqz (local.get $rows)) (i32.eqz (local.get $cols))) (then (return)))
    (local.set $srcLdBytes (i32.shl (local.get $srcLd) (i32.const 3)))
    (local.set $dstLdBytes (i32.shl (local.get $dstLd) (i32.const 3)))
    (local.set $colsBytes (i32.shl (local.get $cols) (i32.const 3)))
    (loop $row
      (local.set $j (i32.const 0))
      (loop $col
        (f64.store (i32.add (local.get $dst) (local.get $j))
          (f64.mul (local.get $beta) (f64.load (i32.add (local.get $src) (local.get $j)))))
        (br_if $col (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 8))) (local.get $colsBytes))))
      (local.set $src (i32.add (local.get $src) (local.get $srcLdBytes)))
      (local.set $dst (i32.add (local.get $dst) (local.get $dstLdBytes)))
      (br_if $row (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))
)
