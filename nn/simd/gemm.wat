;; cnnplay's WebAssembly SIMD128 kernel module.
;;
;; Go's compiler emits no SIMD for wasm, so this small module does nn's inner
;; loops: the packed matrix product (gemmBlock, gemmRows, packT, packN, and
;; gatherGemm, which reads A straight from a convolution's input), and the
;; elementwise, convolution, pooling, optimizer and Winograd loops of vecOps
;; (nn/vec.go); nn/gemm_js.go binds every export. It imports the Go
;; instance's own linear memory (the host passes instance.exports.mem as
;; env.mem) and works on Go slices in place: every pointer argument is a
;; byte offset into that memory. Assemble with `wat2wasm nn/simd/gemm.wat -o nn/simd/gemm.wasm`
;; (Debian's wabt); the committed gemm.wasm is checked against it by
;; TestModuleAssembled.
;;
;; Layout (see packA and packB in nn/gemm.go, with mr=4, nr=8): the packed A
;; block holds panels of 4 rows, each kc steps of 4 floats; the packed B
;; block holds panels of 8 columns, each kc steps of 8 floats.
(module
  (import "env" "mem" (memory 1))
  ;; The memory is exported again, as mem, so that nn can instantiate
  ;; gemm_fma.wasm on it without help from the host (see nn/gemm_js.go).
  (export "mem" (memory 0))

  ;; gemmBlock adds the product of one packed kc-deep block, A (m×kc, in
  ;; panels at $pa) times B (kc×n, in panels at $pb), to the m×n matrix C at
  ;; $c with leading dimension $ldc (in floats). $tile is scratch for 32 floats
  ;; used by the tiles that overhang m or n. With $acc = 0 the block
  ;; overwrites C instead (C's old values are masked to +0 before the add,
  ;; exactly as if C had been cleared), which saves clearing C before the
  ;; first block. Requires m, n, kc ≥ 1.
  ;;
  ;; For each 4x8 tile of C, eight f32x4 accumulators hold the tile's rows
  ;; (two vectors per row); each step k broadcasts the four A values and
  ;; multiplies them by B's two vectors.
  (func (export "gemmBlock")
    (param $c i32) (param $ldc i32) (param $m i32) (param $n i32)
    (param $pa i32) (param $pb i32) (param $kc i32) (param $tile i32) (param $acc i32)
    (local $i i32) (local $j i32)
    (local $a i32) (local $b i32) (local $aend i32) (local $bpanel i32)
    (local $ct i32) (local $ldb i32) (local $rows i32) (local $cols i32)
    (local $r i32) (local $q i32) (local $src i32) (local $dst i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $av v128) (local $keep v128)

    ;; $keep masks C's old values: all ones to add to them, zero to overwrite
    (local.set $keep (i32x4.splat (i32.sub (i32.const 0) (i32.ne (local.get $acc) (i32.const 0)))))
    ;; leading dimension of C in bytes
    (local.set $ldb (i32.shl (local.get $ldc) (i32.const 2)))

    (loop $jloop
      ;; B panel for columns j..j+7 starts j·kc floats into $pb
      (local.set $bpanel
        (i32.add (local.get $pb)
          (i32.shl (i32.mul (local.get $j) (local.get $kc)) (i32.const 2))))
      (local.set $i (i32.const 0))
      (loop $iloop
        (local.set $c00 (v128.const i32x4 0 0 0 0))
        (local.set $c01 (v128.const i32x4 0 0 0 0))
        (local.set $c10 (v128.const i32x4 0 0 0 0))
        (local.set $c11 (v128.const i32x4 0 0 0 0))
        (local.set $c20 (v128.const i32x4 0 0 0 0))
        (local.set $c21 (v128.const i32x4 0 0 0 0))
        (local.set $c30 (v128.const i32x4 0 0 0 0))
        (local.set $c31 (v128.const i32x4 0 0 0 0))
        ;; A panel for rows i..i+3 starts i·kc floats into $pa
        (local.set $a
          (i32.add (local.get $pa)
            (i32.shl (i32.mul (local.get $i) (local.get $kc)) (i32.const 2))))
        (local.set $aend
          (i32.add (local.get $a) (i32.shl (local.get $kc) (i32.const 4))))
        (local.set $b (local.get $bpanel))

        (loop $ploop
          (local.set $b0 (v128.load (local.get $b)))
          (local.set $b1 (v128.load offset=16 (local.get $b)))
          (local.set $av (v128.load32_splat (local.get $a)))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $av) (local.get $b0))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $av) (local.get $b1))))
          (local.set $av (v128.load32_splat offset=4 (local.get $a)))
          (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $av) (local.get $b0))))
          (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $av) (local.get $b1))))
          (local.set $av (v128.load32_splat offset=8 (local.get $a)))
          (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $av) (local.get $b0))))
          (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $av) (local.get $b1))))
          (local.set $av (v128.load32_splat offset=12 (local.get $a)))
          (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $av) (local.get $b0))))
          (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $av) (local.get $b1))))
          (local.set $a (i32.add (local.get $a) (i32.const 16)))
          (local.set $b (i32.add (local.get $b) (i32.const 32)))
          (br_if $ploop (i32.lt_u (local.get $a) (local.get $aend))))

        (if (i32.and
              (i32.le_s (i32.add (local.get $i) (i32.const 4)) (local.get $m))
              (i32.le_s (i32.add (local.get $j) (i32.const 8)) (local.get $n)))
          (then
            ;; a whole tile: C[i..i+3][j..j+7] += accumulators
            (local.set $ct
              (i32.add (local.get $c)
                (i32.shl
                  (i32.add (i32.mul (local.get $i) (local.get $ldc)) (local.get $j))
                  (i32.const 2))))
            (v128.store (local.get $ct) (f32x4.add (v128.and (v128.load (local.get $ct)) (local.get $keep)) (local.get $c00)))
            (v128.store offset=16 (local.get $ct) (f32x4.add (v128.and (v128.load offset=16 (local.get $ct)) (local.get $keep)) (local.get $c01)))
            (local.set $ct (i32.add (local.get $ct) (local.get $ldb)))
            (v128.store (local.get $ct) (f32x4.add (v128.and (v128.load (local.get $ct)) (local.get $keep)) (local.get $c10)))
            (v128.store offset=16 (local.get $ct) (f32x4.add (v128.and (v128.load offset=16 (local.get $ct)) (local.get $keep)) (local.get $c11)))
            (local.set $ct (i32.add (local.get $ct) (local.get $ldb)))
            (v128.store (local.get $ct) (f32x4.add (v128.and (v128.load (local.get $ct)) (local.get $keep)) (local.get $c20)))
            (v128.store offset=16 (local.get $ct) (f32x4.add (v128.and (v128.load offset=16 (local.get $ct)) (local.get $keep)) (local.get $c21)))
            (local.set $ct (i32.add (local.get $ct) (local.get $ldb)))
            (v128.store (local.get $ct) (f32x4.add (v128.and (v128.load (local.get $ct)) (local.get $keep)) (local.get $c30)))
            (v128.store offset=16 (local.get $ct) (f32x4.add (v128.and (v128.load offset=16 (local.get $ct)) (local.get $keep)) (local.get $c31))))
          (else
            ;; a tile overhanging m or n: spill the accumulators to $tile
            ;; (4 rows of 8), then add only the rows and columns inside C
            (v128.store offset=0 (local.get $tile) (local.get $c00))
            (v128.store offset=16 (local.get $tile) (local.get $c01))
            (v128.store offset=32 (local.get $tile) (local.get $c10))
            (v128.store offset=48 (local.get $tile) (local.get $c11))
            (v128.store offset=64 (local.get $tile) (local.get $c20))
            (v128.store offset=80 (local.get $tile) (local.get $c21))
            (v128.store offset=96 (local.get $tile) (local.get $c30))
            (v128.store offset=112 (local.get $tile) (local.get $c31))
            (local.set $rows (i32.sub (local.get $m) (local.get $i)))
            (if (i32.gt_s (local.get $rows) (i32.const 4))
              (then (local.set $rows (i32.const 4))))
            (local.set $cols (i32.sub (local.get $n) (local.get $j)))
            (if (i32.gt_s (local.get $cols) (i32.const 8))
              (then (local.set $cols (i32.const 8))))
            (local.set $r (i32.const 0))
            (loop $rloop
              (local.set $src
                (i32.add (local.get $tile) (i32.shl (local.get $r) (i32.const 5))))
              (local.set $dst
                (i32.add (local.get $c)
                  (i32.shl
                    (i32.add
                      (i32.mul (i32.add (local.get $i) (local.get $r)) (local.get $ldc))
                      (local.get $j))
                    (i32.const 2))))
              (local.set $q (i32.const 0))
              (loop $qloop
                (f32.store (local.get $dst)
                  (f32.add
                    (select (f32.load (local.get $dst)) (f32.const 0) (local.get $acc))
                    (f32.load (local.get $src))))
                (local.set $src (i32.add (local.get $src) (i32.const 4)))
                (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
                (local.set $q (i32.add (local.get $q) (i32.const 1)))
                (br_if $qloop (i32.lt_s (local.get $q) (local.get $cols))))
              (local.set $r (i32.add (local.get $r) (i32.const 1)))
              (br_if $rloop (i32.lt_s (local.get $r) (local.get $rows))))))

        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br_if $iloop (i32.lt_s (local.get $i) (local.get $m))))

      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br_if $jloop (i32.lt_s (local.get $j) (local.get $n)))))

  ;; gatherGemm is gemmBlock with A read in place instead of packed: A's
  ;; element (i, p) is the float at $x + rowOff[i] + colOff[p], both tables
  ;; of int32 byte offsets. A convolution's patch matrix is such an A (row
  ;; offsets: the output positions' windows in the padded input; column
  ;; offsets: the taps of a window), and so is its transpose, so im2col and
  ;; packing are skipped (nn/conv.go). B (kc×n) is read in place too, row p
  ;; at $b + p·$ldb floats. C (m×n, leading dimension $ldc) gets the product
  ;; added, or with $acc = 0 is overwritten by it, summed in p order from
  ;; zero per 4x8 tile exactly as gemmBlock does, so the two agree bit for
  ;; bit. Requires m, kc ≥ 1, n a multiple of 8, and rowOff readable for m
  ;; rounded up to a multiple of 4 (rows past m are computed, not stored).
  (func (export "gatherGemm")
    (param $c i32) (param $ldc i32) (param $m i32) (param $n i32)
    (param $x i32) (param $rowOff i32) (param $colOff i32) (param $kc i32)
    (param $b i32) (param $ldb i32) (param $acc i32)
    (local $i i32) (local $j i32) (local $cp i32) (local $cend i32) (local $bp i32)
    (local $x0 i32) (local $x1 i32) (local $x2 i32) (local $x3 i32) (local $o i32)
    (local $ct i32) (local $ldcb i32) (local $ldbb i32) (local $rows i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $av v128) (local $keep v128)
    (local.set $keep (i32x4.splat (i32.sub (i32.const 0) (i32.ne (local.get $acc) (i32.const 0)))))
    (local.set $ldcb (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $ldbb (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $cend (i32.add (local.get $colOff) (i32.shl (local.get $kc) (i32.const 2))))
    (loop $iloop
      ;; the four rows' bases in X
      (local.set $o (i32.add (local.get $rowOff) (i32.shl (local.get $i) (i32.const 2))))
      (local.set $x0 (i32.add (local.get $x) (i32.load offset=0 (local.get $o))))
      (local.set $x1 (i32.add (local.get $x) (i32.load offset=4 (local.get $o))))
      (local.set $x2 (i32.add (local.get $x) (i32.load offset=8 (local.get $o))))
      (local.set $x3 (i32.add (local.get $x) (i32.load offset=12 (local.get $o))))
      (local.set $rows (i32.sub (local.get $m) (local.get $i)))
      (local.set $j (i32.const 0))
      (loop $jloop
        (local.set $c00 (v128.const i32x4 0 0 0 0))
        (local.set $c01 (v128.const i32x4 0 0 0 0))
        (local.set $c10 (v128.const i32x4 0 0 0 0))
        (local.set $c11 (v128.const i32x4 0 0 0 0))
        (local.set $c20 (v128.const i32x4 0 0 0 0))
        (local.set $c21 (v128.const i32x4 0 0 0 0))
        (local.set $c30 (v128.const i32x4 0 0 0 0))
        (local.set $c31 (v128.const i32x4 0 0 0 0))
        (local.set $cp (local.get $colOff))
        (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
        (loop $ploop
          (local.set $o (i32.load (local.get $cp)))
          (local.set $b0 (v128.load (local.get $bp)))
          (local.set $b1 (v128.load offset=16 (local.get $bp)))
          (local.set $av (v128.load32_splat (i32.add (local.get $x0) (local.get $o))))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $av) (local.get $b0))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $av) (local.get $b1))))
          (local.set $av (v128.load32_splat (i32.add (local.get $x1) (local.get $o))))
          (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $av) (local.get $b0))))
          (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $av) (local.get $b1))))
          (local.set $av (v128.load32_splat (i32.add (local.get $x2) (local.get $o))))
          (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $av) (local.get $b0))))
          (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $av) (local.get $b1))))
          (local.set $av (v128.load32_splat (i32.add (local.get $x3) (local.get $o))))
          (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $av) (local.get $b0))))
          (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $av) (local.get $b1))))
          (local.set $cp (i32.add (local.get $cp) (i32.const 4)))
          (local.set $bp (i32.add (local.get $bp) (local.get $ldbb)))
          (br_if $ploop (i32.lt_u (local.get $cp) (local.get $cend))))
        ;; C[i..i+3][j..j+7] (only the rows below m) = or += the tile
        (local.set $ct
          (i32.add (local.get $c)
            (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldc)) (local.get $j)) (i32.const 2))))
        (v128.store (local.get $ct) (f32x4.add (v128.and (v128.load (local.get $ct)) (local.get $keep)) (local.get $c00)))
        (v128.store offset=16 (local.get $ct) (f32x4.add (v128.and (v128.load offset=16 (local.get $ct)) (local.get $keep)) (local.get $c01)))
        (if (i32.gt_s (local.get $rows) (i32.const 1)) (then
          (local.set $ct (i32.add (local.get $ct) (local.get $ldcb)))
          (v128.store (local.get $ct) (f32x4.add (v128.and (v128.load (local.get $ct)) (local.get $keep)) (local.get $c10)))
          (v128.store offset=16 (local.get $ct) (f32x4.add (v128.and (v128.load offset=16 (local.get $ct)) (local.get $keep)) (local.get $c11)))
          (if (i32.gt_s (local.get $rows) (i32.const 2)) (then
            (local.set $ct (i32.add (local.get $ct) (local.get $ldcb)))
            (v128.store (local.get $ct) (f32x4.add (v128.and (v128.load (local.get $ct)) (local.get $keep)) (local.get $c20)))
            (v128.store offset=16 (local.get $ct) (f32x4.add (v128.and (v128.load offset=16 (local.get $ct)) (local.get $keep)) (local.get $c21)))
            (if (i32.gt_s (local.get $rows) (i32.const 3)) (then
              (local.set $ct (i32.add (local.get $ct) (local.get $ldcb)))
              (v128.store (local.get $ct) (f32x4.add (v128.and (v128.load (local.get $ct)) (local.get $keep)) (local.get $c30)))
              (v128.store offset=16 (local.get $ct) (f32x4.add (v128.and (v128.load offset=16 (local.get $ct)) (local.get $keep)) (local.get $c31)))))))))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br_if $jloop (i32.lt_s (local.get $j) (local.get $n))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $iloop (i32.lt_s (local.get $i) (local.get $m)))))

  ;; packT packs $panels panels of $w rows (w = 4 or 8) from a matrix whose
  ;; rows are contiguous (row r at $src + r·$ld floats, step p at +p): the
  ;; panel layout of gemm.go's packA with acs = 1, or of packB with brs = 1.
  ;; Each group of 4 rows is transposed 4 steps at a time with shuffles.
  (func (export "packT")
    (param $dst i32) (param $src i32) (param $panels i32) (param $kc i32)
    (param $ld i32) (param $w i32)
    (local $g i32) (local $groups i32) (local $per i32) (local $ldb i32) (local $step i32)
    (local $s0 i32) (local $d i32) (local $p i32) (local $kc4 i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $ldb (i32.shl (local.get $ld) (i32.const 2)))
    (local.set $step (i32.shl (local.get $w) (i32.const 2)))
    (local.set $per (i32.shr_u (local.get $w) (i32.const 2)))
    (local.set $groups (i32.mul (local.get $panels) (local.get $per)))
    (local.set $kc4 (i32.and (local.get $kc) (i32.const -4)))
    (local.set $g (i32.const 0))
    (block $gdone (loop $gloop
      (br_if $gdone (i32.ge_u (local.get $g) (local.get $groups)))
      ;; rows 4g..4g+3 start at src + 4g·ld floats; they go to panel g/per,
      ;; columns 4·(g mod per)..+3 of each w-wide step
      (local.set $s0 (i32.add (local.get $src) (i32.shl (i32.mul (local.get $g) (local.get $ldb)) (i32.const 2))))
      (local.set $d
        (i32.add (local.get $dst)
          (i32.add
            (i32.shl
              (i32.mul (i32.div_u (local.get $g) (local.get $per)) (i32.mul (local.get $w) (local.get $kc)))
              (i32.const 2))
            (i32.shl (i32.rem_u (local.get $g) (local.get $per)) (i32.const 4)))))
      (local.set $p (i32.const 0))
      (block $pdone (loop $ploop
        (br_if $pdone (i32.ge_u (local.get $p) (local.get $kc4)))
        (local.set $r0 (v128.load (local.get $s0)))
        (local.set $r1 (v128.load (i32.add (local.get $s0) (local.get $ldb))))
        (local.set $r2 (v128.load (i32.add (local.get $s0) (i32.shl (local.get $ldb) (i32.const 1)))))
        (local.set $r3 (v128.load (i32.add (local.get $s0) (i32.mul (local.get $ldb) (i32.const 3)))))
        (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
        (local.set $t1 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
        (local.set $t2 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
        (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
        (v128.store (local.get $d)
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t1)))
        (local.set $d (i32.add (local.get $d) (local.get $step)))
        (v128.store (local.get $d)
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t1)))
        (local.set $d (i32.add (local.get $d) (local.get $step)))
        (v128.store (local.get $d)
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t2) (local.get $t3)))
        (local.set $d (i32.add (local.get $d) (local.get $step)))
        (v128.store (local.get $d)
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t2) (local.get $t3)))
        (local.set $d (i32.add (local.get $d) (local.get $step)))
        (local.set $s0 (i32.add (local.get $s0) (i32.const 16)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $ploop)))
      ;; the last kc mod 4 steps, one at a time
      (block $rdone (loop $rloop
        (br_if $rdone (i32.ge_u (local.get $p) (local.get $kc)))
        (f32.store offset=0 (local.get $d) (f32.load (local.get $s0)))
        (f32.store offset=4 (local.get $d) (f32.load (i32.add (local.get $s0) (local.get $ldb))))
        (f32.store offset=8 (local.get $d) (f32.load (i32.add (local.get $s0) (i32.shl (local.get $ldb) (i32.const 1)))))
        (f32.store offset=12 (local.get $d) (f32.load (i32.add (local.get $s0) (i32.mul (local.get $ldb) (i32.const 3)))))
        (local.set $d (i32.add (local.get $d) (local.get $step)))
        (local.set $s0 (i32.add (local.get $s0) (i32.const 4)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $rloop)))
      (local.set $g (i32.add (local.get $g) (i32.const 1)))
      (br $gloop))))

  ;; packN packs $panels panels of $w rows (w = 4 or 8) from a matrix whose
  ;; columns are contiguous (row r at $src + r floats, step p at +p·$ld): the
  ;; layout of packA with ars = 1, or of packB with bcs = 1. Each step of a
  ;; panel is a straight copy of w floats.
  (func (export "packN")
    (param $dst i32) (param $src i32) (param $panels i32) (param $kc i32)
    (param $ld i32) (param $w i32)
    (local $i i32) (local $s i32) (local $d i32) (local $end i32) (local $ldb i32)
    (local.set $ldb (i32.shl (local.get $ld) (i32.const 2)))
    (local.set $d (local.get $dst))
    (local.set $i (i32.const 0))
    (block $idone (loop $iloop
      (br_if $idone (i32.ge_u (local.get $i) (local.get $panels)))
      (local.set $s (i32.add (local.get $src) (i32.shl (i32.mul (local.get $i) (local.get $w)) (i32.const 2))))
      (local.set $end (i32.add (local.get $d) (i32.shl (i32.mul (local.get $w) (local.get $kc)) (i32.const 2))))
      (if (i32.eq (local.get $w) (i32.const 8))
        (then
          (block $d8 (loop $l8
            (br_if $d8 (i32.ge_u (local.get $d) (local.get $end)))
            (v128.store (local.get $d) (v128.load (local.get $s)))
            (v128.store offset=16 (local.get $d) (v128.load offset=16 (local.get $s)))
            (local.set $s (i32.add (local.get $s) (local.get $ldb)))
            (local.set $d (i32.add (local.get $d) (i32.const 32)))
            (br $l8))))
        (else
          (block $d4 (loop $l4
            (br_if $d4 (i32.ge_u (local.get $d) (local.get $end)))
            (v128.store (local.get $d) (v128.load (local.get $s)))
            (local.set $s (i32.add (local.get $s) (local.get $ldb)))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (br $l4)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $iloop))))
  ;; gemmRows computes C = A·B, or C += A·B with $acc ≠ 0, for a few rows
  ;; of A (m×k at $a, rows $lda floats apart, steps contiguous) and B (k×n
  ;; at $b, rows $ldb floats apart, columns contiguous), without packing:
  ;; when A has fewer rows than a panel (one image through a dense layer),
  ;; packing B costs more than the product. Sums run over the same
  ;; 256-deep blocks as gemm's packed path, each from zero and then added to
  ;; C, so the result is the same bit for bit.
  ;;
  ;; For each row and block it first lists the block's terms at $list
  ;; (scratch for 256 pairs: B's row offset in bytes and A's value), then
  ;; sweeps B's columns 32 at a time (eight accumulators), then 4, then 1,
  ;; over the list. With $sparse ≠ 0 the list leaves out A's zeros, and
  ;; their rows of B are never read: after a ReLU and max pooling, more than
  ;; half of a dense layer's inputs are zero, and its weights are most of
  ;; the bytes one image reads. A zero term adds a zero to a sum that starts
  ;; at +0, which changes no bit, when B is finite (0·∞ is NaN): callers ask
  ;; for it only for weights known to be finite.
  (func (export "gemmRows")
    (param $c i32) (param $ldc i32) (param $m i32) (param $n i32)
    (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32) (param $k i32) (param $acc i32)
    (param $list i32) (param $sparse i32)
    (local $i i32) (local $j i32) (local $p0 i32) (local $kc i32) (local $p i32)
    (local $ap i32) (local $q i32) (local $end i32) (local $off i32) (local $all i32)
    (local $bb i32) (local $bp i32) (local $ct i32) (local $w i32) (local $ldbb i32)
    (local $keep v128) (local $av v128) (local $v f32) (local $x f32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $s4 v128) (local $s5 v128) (local $s6 v128) (local $s7 v128)
    (local.set $ldbb (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $all (i32.eqz (local.get $sparse)))
    (block $idone (loop $il
      (br_if $idone (i32.ge_s (local.get $i) (local.get $m)))
      (local.set $p0 (i32.const 0))
      (block $pdone (loop $pl
        (br_if $pdone (i32.ge_s (local.get $p0) (local.get $k)))
        (local.set $kc (i32.sub (local.get $k) (local.get $p0)))
        (if (i32.gt_s (local.get $kc) (i32.const 256)) (then (local.set $kc (i32.const 256))))
        ;; the block's terms, branch-free: each pair is written, and kept
        ;; by moving past it
        (local.set $ap (i32.add (local.get $a)
          (i32.shl (i32.add (i32.mul (local.get $i) (local.get $lda)) (local.get $p0)) (i32.const 2))))
        (local.set $q (local.get $list))
        (local.set $off (i32.const 0))
        (local.set $p (i32.const 0))
        (loop $ll
          (local.set $v (f32.load (local.get $ap)))
          (i32.store (local.get $q) (local.get $off))
          (f32.store offset=4 (local.get $q) (local.get $v))
          (local.set $q (i32.add (local.get $q)
            (i32.shl (i32.or (f32.ne (local.get $v) (f32.const 0)) (local.get $all)) (i32.const 3))))
          (local.set $ap (i32.add (local.get $ap) (i32.const 4)))
          (local.set $off (i32.add (local.get $off) (local.get $ldbb)))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br_if $ll (i32.lt_s (local.get $p) (local.get $kc))))
        (local.set $end (local.get $q))
        (local.set $keep (i32x4.splat (i32.sub (i32.const 0)
          (i32.or (i32.ne (local.get $acc) (i32.const 0)) (i32.gt_s (local.get $p0) (i32.const 0))))))
        ;; B's block starts at row p0
        (local.set $bb (i32.add (local.get $b) (i32.mul (local.get $p0) (local.get $ldbb))))
        (local.set $j (i32.const 0))
        (block $jdone (loop $jl
          (br_if $jdone (i32.ge_s (local.get $j) (local.get $n)))
          ;; width of this column group: 32, 4 or 1
          (local.set $w (i32.const 1))
          (if (i32.le_s (i32.add (local.get $j) (i32.const 4)) (local.get $n))
            (then (local.set $w (i32.const 4))))
          (if (i32.le_s (i32.add (local.get $j) (i32.const 32)) (local.get $n))
            (then (local.set $w (i32.const 32))))
          (local.set $ct (i32.add (local.get $c)
            (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldc)) (local.get $j)) (i32.const 2))))
          (local.set $s0 (v128.const i32x4 0 0 0 0))
          (local.set $s1 (v128.const i32x4 0 0 0 0))
          (local.set $s2 (v128.const i32x4 0 0 0 0))
          (local.set $s3 (v128.const i32x4 0 0 0 0))
          (local.set $s4 (v128.const i32x4 0 0 0 0))
          (local.set $s5 (v128.const i32x4 0 0 0 0))
          (local.set $s6 (v128.const i32x4 0 0 0 0))
          (local.set $s7 (v128.const i32x4 0 0 0 0))
          (local.set $q (local.get $list))
          (if (i32.eq (local.get $w) (i32.const 32))
            (then
              (block $dW (loop $pW
                (br_if $dW (i32.ge_u (local.get $q) (local.get $end)))
                (local.set $av (v128.load32_splat offset=4 (local.get $q)))
                (local.set $bp (i32.add (local.get $bb) (i32.load (local.get $q))))
                (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $av) (v128.load (local.get $bp)))))
                (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $av) (v128.load offset=16 (local.get $bp)))))
                (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $av) (v128.load offset=32 (local.get $bp)))))
                (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $av) (v128.load offset=48 (local.get $bp)))))
                (local.set $s4 (f32x4.add (local.get $s4) (f32x4.mul (local.get $av) (v128.load offset=64 (local.get $bp)))))
                (local.set $s5 (f32x4.add (local.get $s5) (f32x4.mul (local.get $av) (v128.load offset=80 (local.get $bp)))))
                (local.set $s6 (f32x4.add (local.get $s6) (f32x4.mul (local.get $av) (v128.load offset=96 (local.get $bp)))))
                (local.set $s7 (f32x4.add (local.get $s7) (f32x4.mul (local.get $av) (v128.load offset=112 (local.get $bp)))))
                (local.set $q (i32.add (local.get $q) (i32.const 8)))
                (br $pW)))
              (v128.store (local.get $ct) (f32x4.add (v128.and (v128.load (local.get $ct)) (local.get $keep)) (local.get $s0)))
              (v128.store offset=16 (local.get $ct) (f32x4.add (v128.and (v128.load offset=16 (local.get $ct)) (local.get $keep)) (local.get $s1)))
              (v128.store offset=32 (local.get $ct) (f32x4.add (v128.and (v128.load offset=32 (local.get $ct)) (local.get $keep)) (local.get $s2)))
              (v128.store offset=48 (local.get $ct) (f32x4.add (v128.and (v128.load offset=48 (local.get $ct)) (local.get $keep)) (local.get $s3)))
              (v128.store offset=64 (local.get $ct) (f32x4.add (v128.and (v128.load offset=64 (local.get $ct)) (local.get $keep)) (local.get $s4)))
              (v128.store offset=80 (local.get $ct) (f32x4.add (v128.and (v128.load offset=80 (local.get $ct)) (local.get $keep)) (local.get $s5)))
              (v128.store offset=96 (local.get $ct) (f32x4.add (v128.and (v128.load offset=96 (local.get $ct)) (local.get $keep)) (local.get $s6)))
              (v128.store offset=112 (local.get $ct) (f32x4.add (v128.and (v128.load offset=112 (local.get $ct)) (local.get $keep)) (local.get $s7))))
            (else
              (if (i32.eq (local.get $w) (i32.const 4))
                (then
                  (block $d4 (loop $p4
                    (br_if $d4 (i32.ge_u (local.get $q) (local.get $end)))
                    (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load32_splat offset=4 (local.get $q)) (v128.load (i32.add (local.get $bb) (i32.load (local.get $q)))))))
                    (local.set $q (i32.add (local.get $q) (i32.const 8)))
                    (br $p4)))
                  (v128.store (local.get $ct) (f32x4.add (v128.and (v128.load (local.get $ct)) (local.get $keep)) (local.get $s0))))
                (else
                  (local.set $x (f32.const 0))
                  (block $d1 (loop $p1
                    (br_if $d1 (i32.ge_u (local.get $q) (local.get $end)))
                    (local.set $x (f32.add (local.get $x)
                      (f32.mul (f32.load offset=4 (local.get $q)) (f32.load (i32.add (local.get $bb) (i32.load (local.get $q)))))))
                    (local.set $q (i32.add (local.get $q) (i32.const 8)))
                    (br $p1)))
                  (f32.store (local.get $ct)
                    (f32.add
                      (select (f32.load (local.get $ct)) (f32.const 0)
                        (i32.or (i32.ne (local.get $acc) (i32.const 0)) (i32.gt_s (local.get $p0) (i32.const 0))))
                      (local.get $x)))))))
          (local.set $bb (i32.add (local.get $bb) (i32.shl (local.get $w) (i32.const 2))))
          (local.set $j (i32.add (local.get $j) (local.get $w)))
          (br $jl)))
        (local.set $p0 (i32.add (local.get $p0) (i32.const 256)))
        (br $pl)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $il))))

  ;; The elementwise and data-movement loops around the products (see
  ;; nn/vec.go, whose pure-Go versions they must match bit for bit: each
  ;; output value is computed by the same float operations in the same
  ;; order, four lanes at a time). Lengths are in floats; pointers are byte
  ;; offsets into Go's memory.

  ;; relu: dst[i] = src[i] if src[i] > 0, else +0 (NaN stays NaN), for n
  ;; values: Go's max(v, 0).
  (func (export "relu") (param $dst i32) (param $src i32) (param $n i32)
    (local $end i32) (local $end4 i32) (local $v v128) (local $x f32)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $src) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $d4 (loop $l4
      (br_if $d4 (i32.ge_u (local.get $src) (local.get $end4)))
      (local.set $v (v128.load (local.get $src)))
      (v128.store (local.get $dst)
        (v128.andnot (local.get $v) (f32x4.le (local.get $v) (v128.const i32x4 0 0 0 0))))
      (local.set $src (i32.add (local.get $src) (i32.const 16)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (br $l4)))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $src) (local.get $end)))
      (local.set $x (f32.load (local.get $src)))
      (f32.store (local.get $dst)
        (select (f32.const 0) (local.get $x) (f32.le (local.get $x) (f32.const 0))))
      (local.set $src (i32.add (local.get $src) (i32.const 4)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (br $l1))))

  ;; reluBack: din[i] = dout[i] unless out[i] <= 0, then +0, for n values.
  (func (export "reluBack") (param $din i32) (param $dout i32) (param $out i32) (param $n i32)
    (local $end i32) (local $end4 i32)
    (local.set $end (i32.add (local.get $dout) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $dout) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $d4 (loop $l4
      (br_if $d4 (i32.ge_u (local.get $dout) (local.get $end4)))
      (v128.store (local.get $din)
        (v128.andnot (v128.load (local.get $dout))
          (f32x4.le (v128.load (local.get $out)) (v128.const i32x4 0 0 0 0))))
      (local.set $dout (i32.add (local.get $dout) (i32.const 16)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (local.set $din (i32.add (local.get $din) (i32.const 16)))
      (br $l4)))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $dout) (local.get $end)))
      (f32.store (local.get $din)
        (select (f32.const 0) (f32.load (local.get $dout))
          (f32.le (f32.load (local.get $out)) (f32.const 0))))
      (local.set $dout (i32.add (local.get $dout) (i32.const 4)))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (local.set $din (i32.add (local.get $din) (i32.const 4)))
      (br $l1))))

  ;; addRun: dst[i] += src[i] for n values (internal).
  (func $addRun (param $dst i32) (param $src i32) (param $n i32)
    (local $end i32) (local $end4 i32)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $src) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $d4 (loop $l4
      (br_if $d4 (i32.ge_u (local.get $src) (local.get $end4)))
      (v128.store (local.get $dst) (f32x4.add (v128.load (local.get $dst)) (v128.load (local.get $src))))
      (local.set $src (i32.add (local.get $src) (i32.const 16)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (br $l4)))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $src) (local.get $end)))
      (f32.store (local.get $dst) (f32.add (f32.load (local.get $dst)) (f32.load (local.get $src))))
      (local.set $src (i32.add (local.get $src) (i32.const 4)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (br $l1))))

  ;; copyRun: dst[i] = src[i] for n values (internal); short runs (a few
  ;; channels) are cheaper here than through memory.copy.
  (func $copyRun (param $dst i32) (param $src i32) (param $n i32)
    (local $end i32) (local $end4 i32)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $src) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $d4 (loop $l4
      (br_if $d4 (i32.ge_u (local.get $src) (local.get $end4)))
      (v128.store (local.get $dst) (v128.load (local.get $src)))
      (local.set $src (i32.add (local.get $src) (i32.const 16)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (br $l4)))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $src) (local.get $end)))
      (f32.store (local.get $dst) (f32.load (local.get $src)))
      (local.set $src (i32.add (local.get $src) (i32.const 4)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (br $l1))))

  ;; zeroRun: dst[i] = +0 for n values (internal).
  (func $zeroRun (param $dst i32) (param $n i32)
    (local $end i32) (local $end4 i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $dst) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $d4 (loop $l4
      (br_if $d4 (i32.ge_u (local.get $dst) (local.get $end4)))
      (v128.store (local.get $dst) (v128.const i32x4 0 0 0 0))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (br $l4)))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $dst) (local.get $end)))
      (f32.store (local.get $dst) (f32.const 0))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (br $l1))))

  ;; addBias: every one of $rows rows of $f values at $x gets b added.
  (func (export "addBias") (param $x i32) (param $b i32) (param $rows i32) (param $f i32)
    (local $r i32) (local $step i32)
    (local.set $step (i32.shl (local.get $f) (i32.const 2)))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
      (call $addRun (local.get $x) (local.get $b) (local.get $f))
      (local.set $x (i32.add (local.get $x) (local.get $step)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $l))))

  ;; sumRows: dst (f values) += each of $rows rows of $f values at $x, in
  ;; row order.
  (func (export "sumRows") (param $dst i32) (param $x i32) (param $rows i32) (param $f i32)
    (local $r i32) (local $step i32)
    (local.set $step (i32.shl (local.get $f) (i32.const 2)))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
      (call $addRun (local.get $dst) (local.get $x) (local.get $f))
      (local.set $x (i32.add (local.get $x) (local.get $step)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $l))))

  ;; im2col writes one example's patch matrix, as Conv2D.im2col does: for
  ;; each output position (oy, ox), k rows of the k×k×c window, zeros where
  ;; the window hangs over the padding. The input is h×w×c (HWC).
  (func (export "im2col")
    (param $dst i32) (param $src i32) (param $h i32) (param $w i32) (param $c i32)
    (param $k i32) (param $stride i32) (param $pad i32) (param $oh i32) (param $ow i32)
    (local $oy i32) (local $ox i32) (local $ky i32) (local $kx i32)
    (local $iy i32) (local $ix i32) (local $x0 i32) (local $run i32) (local $cb i32) (local $s i32)
    (local.set $run (i32.mul (local.get $k) (local.get $c)))
    (local.set $cb (i32.shl (local.get $c) (i32.const 2)))
    (block $oydone (loop $oyl
      (br_if $oydone (i32.ge_s (local.get $oy) (local.get $oh)))
      (local.set $ox (i32.const 0))
      (block $oxdone (loop $oxl
        (br_if $oxdone (i32.ge_s (local.get $ox) (local.get $ow)))
        (local.set $x0 (i32.sub (i32.mul (local.get $ox) (local.get $stride)) (local.get $pad)))
        (local.set $ky (i32.const 0))
        (block $kydone (loop $kyl
          (br_if $kydone (i32.ge_s (local.get $ky) (local.get $k)))
          (local.set $iy (i32.add (i32.sub (i32.mul (local.get $oy) (local.get $stride)) (local.get $pad)) (local.get $ky)))
          (if (i32.or (i32.lt_s (local.get $iy) (i32.const 0)) (i32.ge_s (local.get $iy) (local.get $h)))
            (then (call $zeroRun (local.get $dst) (local.get $run)))
            (else
              (if (i32.and (i32.ge_s (local.get $x0) (i32.const 0))
                           (i32.le_s (i32.add (local.get $x0) (local.get $k)) (local.get $w)))
                (then
                  (call $copyRun (local.get $dst)
                    (i32.add (local.get $src)
                      (i32.mul (i32.add (i32.mul (local.get $iy) (local.get $w)) (local.get $x0)) (local.get $cb)))
                    (local.get $run)))
                (else
                  (local.set $kx (i32.const 0))
                  (local.set $s (local.get $dst))
                  (block $kxdone (loop $kxl
                    (br_if $kxdone (i32.ge_s (local.get $kx) (local.get $k)))
                    (local.set $ix (i32.add (local.get $x0) (local.get $kx)))
                    (if (i32.or (i32.lt_s (local.get $ix) (i32.const 0)) (i32.ge_s (local.get $ix) (local.get $w)))
                      (then (call $zeroRun (local.get $s) (local.get $c)))
                      (else
                        (call $copyRun (local.get $s)
                          (i32.add (local.get $src)
                            (i32.mul (i32.add (i32.mul (local.get $iy) (local.get $w)) (local.get $ix)) (local.get $cb)))
                          (local.get $c))))
                    (local.set $s (i32.add (local.get $s) (local.get $cb)))
                    (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
                    (br $kxl)))))))
          (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $run) (i32.const 2))))
          (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
          (br $kyl)))
        (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
        (br $oxl)))
      (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
      (br $oyl))))

  ;; col2im clears the h×w×c input gradient at $dst, then adds each row of
  ;; the patch-gradient matrix at $src back onto the input positions im2col
  ;; copied it from, in im2col's order, as Conv2D.col2im does.
  (func (export "col2im")
    (param $dst i32) (param $src i32) (param $h i32) (param $w i32) (param $c i32)
    (param $k i32) (param $stride i32) (param $pad i32) (param $oh i32) (param $ow i32)
    (local $oy i32) (local $ox i32) (local $ky i32) (local $kx i32)
    (local $iy i32) (local $ix i32) (local $x0 i32) (local $run i32) (local $cb i32) (local $s i32)
    (local.set $run (i32.mul (local.get $k) (local.get $c)))
    (local.set $cb (i32.shl (local.get $c) (i32.const 2)))
    (memory.fill (local.get $dst) (i32.const 0)
      (i32.shl (i32.mul (i32.mul (local.get $h) (local.get $w)) (local.get $c)) (i32.const 2)))
    (block $oydone (loop $oyl
      (br_if $oydone (i32.ge_s (local.get $oy) (local.get $oh)))
      (local.set $ox (i32.const 0))
      (block $oxdone (loop $oxl
        (br_if $oxdone (i32.ge_s (local.get $ox) (local.get $ow)))
        (local.set $x0 (i32.sub (i32.mul (local.get $ox) (local.get $stride)) (local.get $pad)))
        (local.set $ky (i32.const 0))
        (block $kydone (loop $kyl
          (br_if $kydone (i32.ge_s (local.get $ky) (local.get $k)))
          (local.set $iy (i32.add (i32.sub (i32.mul (local.get $oy) (local.get $stride)) (local.get $pad)) (local.get $ky)))
          (if (i32.and (i32.ge_s (local.get $iy) (i32.const 0)) (i32.lt_s (local.get $iy) (local.get $h)))
            (then
              (if (i32.and (i32.ge_s (local.get $x0) (i32.const 0))
                           (i32.le_s (i32.add (local.get $x0) (local.get $k)) (local.get $w)))
                (then
                  (call $addRun
                    (i32.add (local.get $dst)
                      (i32.mul (i32.add (i32.mul (local.get $iy) (local.get $w)) (local.get $x0)) (local.get $cb)))
                    (local.get $src) (local.get $run)))
                (else
                  (local.set $kx (i32.const 0))
                  (local.set $s (local.get $src))
                  (block $kxdone (loop $kxl
                    (br_if $kxdone (i32.ge_s (local.get $kx) (local.get $k)))
                    (local.set $ix (i32.add (local.get $x0) (local.get $kx)))
                    (if (i32.and (i32.ge_s (local.get $ix) (i32.const 0)) (i32.lt_s (local.get $ix) (local.get $w)))
                      (then
                        (call $addRun
                          (i32.add (local.get $dst)
                            (i32.mul (i32.add (i32.mul (local.get $iy) (local.get $w)) (local.get $ix)) (local.get $cb)))
                          (local.get $s) (local.get $c))))
                    (local.set $s (i32.add (local.get $s) (local.get $cb)))
                    (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
                    (br $kxl)))))))
          (local.set $src (i32.add (local.get $src) (i32.shl (local.get $run) (i32.const 2))))
          (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
          (br $kyl)))
        (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
        (br $oxl)))
      (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
      (br $oyl))))

  ;; maxPool: for $n examples of h×w×c at $in (c a multiple of 4), the
  ;; maximum of each size×size window moving by $stride, per channel, to
  ;; $out (n×oh×ow×c), and the index into $in (counted from $in, in floats)
  ;; of each maximum to $arg (int32s), as MaxPool.Forward does: start from
  ;; -Inf at the window's first value, take a value only when strictly
  ;; greater, so the first of equal maxima wins.
  (func (export "maxPool")
    (param $out i32) (param $arg i32) (param $in i32) (param $n i32)
    (param $h i32) (param $w i32) (param $c i32) (param $size i32) (param $stride i32)
    (param $oh i32) (param $ow i32)
    (local $e i32) (local $oy i32) (local $ox i32) (local $ch i32) (local $ky i32) (local $kx i32)
    (local $first i32) (local $row i32) (local $idx i32)
    (local $best v128) (local $bi v128) (local $v v128) (local $mask v128)
    (block $edone (loop $el
      (br_if $edone (i32.ge_s (local.get $e) (local.get $n)))
      (local.set $oy (i32.const 0))
      (block $oydone (loop $oyl
        (br_if $oydone (i32.ge_s (local.get $oy) (local.get $oh)))
        (local.set $ox (i32.const 0))
        (block $oxdone (loop $oxl
          (br_if $oxdone (i32.ge_s (local.get $ox) (local.get $ow)))
          ;; first: the window's first value, channel 0, in floats from $in
          (local.set $first
            (i32.add
              (i32.mul (local.get $e) (i32.mul (i32.mul (local.get $h) (local.get $w)) (local.get $c)))
              (i32.mul
                (i32.add (i32.mul (i32.mul (local.get $oy) (local.get $stride)) (local.get $w))
                         (i32.mul (local.get $ox) (local.get $stride)))
                (local.get $c))))
          (local.set $ch (i32.const 0))
          (block $chdone (loop $chl
            (br_if $chdone (i32.ge_s (local.get $ch) (local.get $c)))
            (local.set $best (v128.const f32x4 -inf -inf -inf -inf))
            (local.set $bi
              (i32x4.add (i32x4.splat (i32.add (local.get $first) (local.get $ch)))
                         (v128.const i32x4 0 1 2 3)))
            (local.set $ky (i32.const 0))
            (block $kydone (loop $kyl
              (br_if $kydone (i32.ge_s (local.get $ky) (local.get $size)))
              (local.set $row
                (i32.add (i32.add (local.get $first) (local.get $ch))
                         (i32.mul (i32.mul (local.get $ky) (local.get $w)) (local.get $c))))
              (local.set $kx (i32.const 0))
              (block $kxdone (loop $kxl
                (br_if $kxdone (i32.ge_s (local.get $kx) (local.get $size)))
                (local.set $idx (i32.add (local.get $row) (i32.mul (local.get $kx) (local.get $c))))
                (local.set $v (v128.load (i32.add (local.get $in) (i32.shl (local.get $idx) (i32.const 2)))))
                (local.set $mask (f32x4.gt (local.get $v) (local.get $best)))
                (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $mask)))
                (local.set $bi
                  (v128.bitselect
                    (i32x4.add (i32x4.splat (local.get $idx)) (v128.const i32x4 0 1 2 3))
                    (local.get $bi) (local.get $mask)))
                (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
                (br $kxl)))
              (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
              (br $kyl)))
            (v128.store (local.get $out) (local.get $best))
            (v128.store (local.get $arg) (local.get $bi))
            (local.set $out (i32.add (local.get $out) (i32.const 16)))
            (local.set $arg (i32.add (local.get $arg) (i32.const 16)))
            (local.set $ch (i32.add (local.get $ch) (i32.const 4)))
            (br $chl)))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br $oxl)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $oyl)))
      (local.set $e (i32.add (local.get $e) (i32.const 1)))
      (br $el))))

  ;; maxPoolBack clears the $nin input gradients at $din, then adds each of
  ;; the $nout output gradients at $dout to the input its maximum came from
  ;; ($arg, int32 indices), in order, as MaxPool.Backward does.
  (func (export "maxPoolBack")
    (param $din i32) (param $dout i32) (param $arg i32) (param $nout i32) (param $nin i32)
    (local $end i32) (local $d i32)
    (memory.fill (local.get $din) (i32.const 0) (i32.shl (local.get $nin) (i32.const 2)))
    (local.set $end (i32.add (local.get $dout) (i32.shl (local.get $nout) (i32.const 2))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $dout) (local.get $end)))
      (local.set $d (i32.add (local.get $din) (i32.shl (i32.load (local.get $arg)) (i32.const 2))))
      (f32.store (local.get $d) (f32.add (f32.load (local.get $d)) (f32.load (local.get $dout))))
      (local.set $dout (i32.add (local.get $dout) (i32.const 4)))
      (local.set $arg (i32.add (local.get $arg) (i32.const 4)))
      (br $l))))

  ;; The optimizers' loops (optimizer.Step in nn/optim.go, pure-Go
  ;; versions in nn/vec.go): decay adds L2 weight decay to a gradient, and
  ;; adadelta, adam and sgd each update one parameter's $n values in place,
  ;; w at $w with gradient $g and state $m (and $v), then set the gradient
  ;; to +0, as Go's clear(g) does. Every value is computed with the same f32
  ;; operations in the same order as the Go loop (Go rounds every operation
  ;; to float32 and fuses nothing on wasm; f32x4.sqrt is correctly rounded,
  ;; as float32(math.Sqrt(float64(x))) is), four values at a time, then the
  ;; last n mod 4 one at a time. The constants come from Go exactly as its
  ;; loop computes them, 1-ρ and the like included.

  ;; decay: g += l2·w, for n values (before the update, in its own pass, as
  ;; optimizer.Step does).
  (func (export "decay") (param $g i32) (param $w i32) (param $n i32) (param $l2 f32)
    (local $end i32) (local $end4 i32) (local $k v128)
    (local.set $end (i32.add (local.get $g) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $g) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (local.set $k (f32x4.splat (local.get $l2)))
    (block $d4 (loop $l4
      (br_if $d4 (i32.ge_u (local.get $g) (local.get $end4)))
      (v128.store (local.get $g)
        (f32x4.add (v128.load (local.get $g)) (f32x4.mul (local.get $k) (v128.load (local.get $w)))))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (local.set $w (i32.add (local.get $w) (i32.const 16)))
      (br $l4)))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $g) (local.get $end)))
      (f32.store (local.get $g)
        (f32.add (f32.load (local.get $g)) (f32.mul (local.get $l2) (f32.load (local.get $w)))))
      (local.set $g (i32.add (local.get $g) (i32.const 4)))
      (local.set $w (i32.add (local.get $w) (i32.const 4)))
      (br $l1))))

  ;; adadelta (ρ $rho, 1-ρ $rho1, ε $eps, learning rate $lr):
  ;;   m = ρ·m + (1-ρ)·g·g
  ;;   dx = -sqrt(v+ε) / sqrt(m+ε) · g
  ;;   v = ρ·v + (1-ρ)·dx·dx
  ;;   w += lr·dx
  (func (export "adadelta")
    (param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $rho f32) (param $rho1 f32) (param $eps f32) (param $lr f32)
    (local $end i32) (local $end4 i32)
    (local $krho v128) (local $krho1 v128) (local $keps v128) (local $klr v128)
    (local $gv v128) (local $mv v128) (local $vv v128) (local $dv v128)
    (local $gs f32) (local $ms f32) (local $vs f32) (local $ds f32)
    (local.set $end (i32.add (local.get $w) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $w) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (local.set $krho (f32x4.splat (local.get $rho)))
    (local.set $krho1 (f32x4.splat (local.get $rho1)))
    (local.set $keps (f32x4.splat (local.get $eps)))
    (local.set $klr (f32x4.splat (local.get $lr)))
    (block $d4 (loop $l4
      (br_if $d4 (i32.ge_u (local.get $w) (local.get $end4)))
      (local.set $gv (v128.load (local.get $g)))
      (local.set $mv
        (f32x4.add (f32x4.mul (local.get $krho) (v128.load (local.get $m)))
                   (f32x4.mul (f32x4.mul (local.get $krho1) (local.get $gv)) (local.get $gv))))
      (v128.store (local.get $m) (local.get $mv))
      (local.set $vv (v128.load (local.get $v)))
      (local.set $dv
        (f32x4.mul
          (f32x4.div (f32x4.neg (f32x4.sqrt (f32x4.add (local.get $vv) (local.get $keps))))
                     (f32x4.sqrt (f32x4.add (local.get $mv) (local.get $keps))))
          (local.get $gv)))
      (v128.store (local.get $v)
        (f32x4.add (f32x4.mul (local.get $krho) (local.get $vv))
                   (f32x4.mul (f32x4.mul (local.get $krho1) (local.get $dv)) (local.get $dv))))
      (v128.store (local.get $w)
        (f32x4.add (v128.load (local.get $w)) (f32x4.mul (local.get $klr) (local.get $dv))))
      (v128.store (local.get $g) (v128.const i32x4 0 0 0 0))
      (local.set $w (i32.add (local.get $w) (i32.const 16)))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (local.set $m (i32.add (local.get $m) (i32.const 16)))
      (local.set $v (i32.add (local.get $v) (i32.const 16)))
      (br $l4)))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $w) (local.get $end)))
      (local.set $gs (f32.load (local.get $g)))
      (local.set $ms
        (f32.add (f32.mul (local.get $rho) (f32.load (local.get $m)))
                 (f32.mul (f32.mul (local.get $rho1) (local.get $gs)) (local.get $gs))))
      (f32.store (local.get $m) (local.get $ms))
      (local.set $vs (f32.load (local.get $v)))
      (local.set $ds
        (f32.mul
          (f32.div (f32.neg (f32.sqrt (f32.add (local.get $vs) (local.get $eps))))
                   (f32.sqrt (f32.add (local.get $ms) (local.get $eps))))
          (local.get $gs)))
      (f32.store (local.get $v)
        (f32.add (f32.mul (local.get $rho) (local.get $vs))
                 (f32.mul (f32.mul (local.get $rho1) (local.get $ds)) (local.get $ds))))
      (f32.store (local.get $w)
        (f32.add (f32.load (local.get $w)) (f32.mul (local.get $lr) (local.get $ds))))
      (f32.store (local.get $g) (f32.const 0))
      (local.set $w (i32.add (local.get $w) (i32.const 4)))
      (local.set $g (i32.add (local.get $g) (i32.const 4)))
      (local.set $m (i32.add (local.get $m) (i32.const 4)))
      (local.set $v (i32.add (local.get $v) (i32.const 4)))
      (br $l1))))

  ;; adam (β1 $b1, 1-β1 $b1c, β2 $b2, 1-β2 $b2c, bias-corrected step size
  ;; $step, ε $eps):
  ;;   m = β1·m + (1-β1)·g
  ;;   v = β2·v + (1-β2)·g·g
  ;;   w -= step·m / (sqrt(v)+ε)
  (func (export "adam")
    (param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $b1 f32) (param $b1c f32) (param $b2 f32) (param $b2c f32) (param $step f32) (param $eps f32)
    (local $end i32) (local $end4 i32)
    (local $kb1 v128) (local $kb1c v128) (local $kb2 v128) (local $kb2c v128) (local $kstep v128) (local $keps v128)
    (local $gv v128) (local $mv v128) (local $vv v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $end (i32.add (local.get $w) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $w) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (local.set $kb1 (f32x4.splat (local.get $b1)))
    (local.set $kb1c (f32x4.splat (local.get $b1c)))
    (local.set $kb2 (f32x4.splat (local.get $b2)))
    (local.set $kb2c (f32x4.splat (local.get $b2c)))
    (local.set $kstep (f32x4.splat (local.get $step)))
    (local.set $keps (f32x4.splat (local.get $eps)))
    (block $d4 (loop $l4
      (br_if $d4 (i32.ge_u (local.get $w) (local.get $end4)))
      (local.set $gv (v128.load (local.get $g)))
      (local.set $mv
        (f32x4.add (f32x4.mul (local.get $kb1) (v128.load (local.get $m)))
                   (f32x4.mul (local.get $kb1c) (local.get $gv))))
      (v128.store (local.get $m) (local.get $mv))
      (local.set $vv
        (f32x4.add (f32x4.mul (local.get $kb2) (v128.load (local.get $v)))
                   (f32x4.mul (f32x4.mul (local.get $kb2c) (local.get $gv)) (local.get $gv))))
      (v128.store (local.get $v) (local.get $vv))
      (v128.store (local.get $w)
        (f32x4.sub (v128.load (local.get $w))
          (f32x4.div (f32x4.mul (local.get $kstep) (local.get $mv))
                     (f32x4.add (f32x4.sqrt (local.get $vv)) (local.get $keps)))))
      (v128.store (local.get $g) (v128.const i32x4 0 0 0 0))
      (local.set $w (i32.add (local.get $w) (i32.const 16)))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (local.set $m (i32.add (local.get $m) (i32.const 16)))
      (local.set $v (i32.add (local.get $v) (i32.const 16)))
      (br $l4)))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $w) (local.get $end)))
      (local.set $gs (f32.load (local.get $g)))
      (local.set $ms
        (f32.add (f32.mul (local.get $b1) (f32.load (local.get $m)))
                 (f32.mul (local.get $b1c) (local.get $gs))))
      (f32.store (local.get $m) (local.get $ms))
      (local.set $vs
        (f32.add (f32.mul (local.get $b2) (f32.load (local.get $v)))
                 (f32.mul (f32.mul (local.get $b2c) (local.get $gs)) (local.get $gs))))
      (f32.store (local.get $v) (local.get $vs))
      (f32.store (local.get $w)
        (f32.sub (f32.load (local.get $w))
          (f32.div (f32.mul (local.get $step) (local.get $ms))
                   (f32.add (f32.sqrt (local.get $vs)) (local.get $eps)))))
      (f32.store (local.get $g) (f32.const 0))
      (local.set $w (i32.add (local.get $w) (i32.const 4)))
      (local.set $g (i32.add (local.get $g) (i32.const 4)))
      (local.set $m (i32.add (local.get $m) (i32.const 4)))
      (local.set $v (i32.add (local.get $v) (i32.const 4)))
      (br $l1))))

  ;; sgd with momentum (μ $mu, learning rate $lr; μ = 0 is plain SGD):
  ;;   m = μ·m - lr·g
  ;;   w += μ·m - lr·g with $nesterov ≠ 0 (m the new velocity), else w += m
  (func (export "sgd")
    (param $w i32) (param $g i32) (param $m i32) (param $n i32)
    (param $mu f32) (param $lr f32) (param $nesterov i32)
    (local $end i32) (local $end4 i32)
    (local $kmu v128) (local $klr v128) (local $nest v128) (local $gv v128) (local $mv v128)
    (local $gs f32) (local $ms f32)
    (local.set $end (i32.add (local.get $w) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $w) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (local.set $kmu (f32x4.splat (local.get $mu)))
    (local.set $klr (f32x4.splat (local.get $lr)))
    ;; $nest picks the Nesterov step: all ones with $nesterov ≠ 0, else 0
    (local.set $nesterov (i32.ne (local.get $nesterov) (i32.const 0)))
    (local.set $nest (i32x4.splat (i32.sub (i32.const 0) (local.get $nesterov))))
    (block $d4 (loop $l4
      (br_if $d4 (i32.ge_u (local.get $w) (local.get $end4)))
      (local.set $gv (v128.load (local.get $g)))
      (local.set $mv
        (f32x4.sub (f32x4.mul (local.get $kmu) (v128.load (local.get $m)))
                   (f32x4.mul (local.get $klr) (local.get $gv))))
      (v128.store (local.get $m) (local.get $mv))
      (v128.store (local.get $w)
        (f32x4.add (v128.load (local.get $w))
          (v128.bitselect
            (f32x4.sub (f32x4.mul (local.get $kmu) (local.get $mv))
                       (f32x4.mul (local.get $klr) (local.get $gv)))
            (local.get $mv)
            (local.get $nest))))
      (v128.store (local.get $g) (v128.const i32x4 0 0 0 0))
      (local.set $w (i32.add (local.get $w) (i32.const 16)))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (local.set $m (i32.add (local.get $m) (i32.const 16)))
      (br $l4)))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $w) (local.get $end)))
      (local.set $gs (f32.load (local.get $g)))
      (local.set $ms
        (f32.sub (f32.mul (local.get $mu) (f32.load (local.get $m)))
                 (f32.mul (local.get $lr) (local.get $gs))))
      (f32.store (local.get $m) (local.get $ms))
      (f32.store (local.get $w)
        (f32.add (f32.load (local.get $w))
          (select
            (f32.sub (f32.mul (local.get $mu) (local.get $ms))
                     (f32.mul (local.get $lr) (local.get $gs)))
            (local.get $ms)
            (local.get $nesterov))))
      (f32.store (local.get $g) (f32.const 0))
      (local.set $w (i32.add (local.get $w) (i32.const 4)))
      (local.set $g (i32.add (local.get $g) (i32.const 4)))
      (local.set $m (i32.add (local.get $m) (i32.const 4)))
      (br $l1))))

  ;; The transforms of Winograd's F(2×2, 3×3) (nn/winograd.go, where the
  ;; pure-Go loops are), four channels or filters at a time, each value with
  ;; the same f32 operations in the same order as the Go loop.

  ;; winogradWeights: u (16 matrices of c·f values, $cf = c·f, a multiple of
  ;; 4) = G·g·Gᵀ for each filter g of the 3×3 HWIO weights at $w.
  (func (export "winogradWeights") (param $u i32) (param $w i32) (param $cf i32)
    (local $off i32) (local $end i32) (local $cfb i32) (local $p i32) (local $q i32) (local $s v128)
    (local $g0 v128) (local $g1 v128) (local $g2 v128) (local $g3 v128) (local $g4 v128) (local $g5 v128) (local $g6 v128) (local $g7 v128) (local $g8 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128) (local $t4 v128) (local $t5 v128) (local $t6 v128) (local $t7 v128) (local $t8 v128) (local $t9 v128) (local $t10 v128) (local $t11 v128)
    (local.set $cfb (i32.shl (local.get $cf) (i32.const 2)))
    (local.set $end (local.get $cfb))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $off) (local.get $end)))
      (local.set $p (i32.add (local.get $w) (local.get $off)))
      (local.set $g0 (v128.load (local.get $p)))
      (local.set $p (i32.add (local.get $p) (local.get $cfb)))
      (local.set $g1 (v128.load (local.get $p)))
      (local.set $p (i32.add (local.get $p) (local.get $cfb)))
      (local.set $g2 (v128.load (local.get $p)))
      (local.set $p (i32.add (local.get $p) (local.get $cfb)))
      (local.set $g3 (v128.load (local.get $p)))
      (local.set $p (i32.add (local.get $p) (local.get $cfb)))
      (local.set $g4 (v128.load (local.get $p)))
      (local.set $p (i32.add (local.get $p) (local.get $cfb)))
      (local.set $g5 (v128.load (local.get $p)))
      (local.set $p (i32.add (local.get $p) (local.get $cfb)))
      (local.set $g6 (v128.load (local.get $p)))
      (local.set $p (i32.add (local.get $p) (local.get $cfb)))
      (local.set $g7 (v128.load (local.get $p)))
      (local.set $p (i32.add (local.get $p) (local.get $cfb)))
      (local.set $g8 (v128.load (local.get $p)))
      ;; G·g, a column at a time
      (local.set $s (f32x4.add (local.get $g0) (local.get $g6)))
      (local.set $t0 (local.get $g0))
      (local.set $t3 (f32x4.mul (f32x4.add (local.get $s) (local.get $g3)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $t6 (f32x4.mul (f32x4.sub (local.get $s) (local.get $g3)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $t9 (local.get $g6))
      (local.set $s (f32x4.add (local.get $g1) (local.get $g7)))
      (local.set $t1 (local.get $g1))
      (local.set $t4 (f32x4.mul (f32x4.add (local.get $s) (local.get $g4)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $t7 (f32x4.mul (f32x4.sub (local.get $s) (local.get $g4)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $t10 (local.get $g7))
      (local.set $s (f32x4.add (local.get $g2) (local.get $g8)))
      (local.set $t2 (local.get $g2))
      (local.set $t5 (f32x4.mul (f32x4.add (local.get $s) (local.get $g5)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $t8 (f32x4.mul (f32x4.sub (local.get $s) (local.get $g5)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $t11 (local.get $g8))
      ;; (G·g)·Gᵀ, a row at a time, to u[ξ] for ξ = 0…15 in order
      (local.set $q (i32.add (local.get $u) (local.get $off)))
      (local.set $s (f32x4.add (local.get $t0) (local.get $t2)))
      (v128.store (local.get $q) (local.get $t0))
      (local.set $q (i32.add (local.get $q) (local.get $cfb)))
      (v128.store (local.get $q) (f32x4.mul (f32x4.add (local.get $s) (local.get $t1)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $q (i32.add (local.get $q) (local.get $cfb)))
      (v128.store (local.get $q) (f32x4.mul (f32x4.sub (local.get $s) (local.get $t1)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $q (i32.add (local.get $q) (local.get $cfb)))
      (v128.store (local.get $q) (local.get $t2))
      (local.set $q (i32.add (local.get $q) (local.get $cfb)))
      (local.set $s (f32x4.add (local.get $t3) (local.get $t5)))
      (v128.store (local.get $q) (local.get $t3))
      (local.set $q (i32.add (local.get $q) (local.get $cfb)))
      (v128.store (local.get $q) (f32x4.mul (f32x4.add (local.get $s) (local.get $t4)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $q (i32.add (local.get $q) (local.get $cfb)))
      (v128.store (local.get $q) (f32x4.mul (f32x4.sub (local.get $s) (local.get $t4)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $q (i32.add (local.get $q) (local.get $cfb)))
      (v128.store (local.get $q) (local.get $t5))
      (local.set $q (i32.add (local.get $q) (local.get $cfb)))
      (local.set $s (f32x4.add (local.get $t6) (local.get $t8)))
      (v128.store (local.get $q) (local.get $t6))
      (local.set $q (i32.add (local.get $q) (local.get $cfb)))
      (v128.store (local.get $q) (f32x4.mul (f32x4.add (local.get $s) (local.get $t7)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $q (i32.add (local.get $q) (local.get $cfb)))
      (v128.store (local.get $q) (f32x4.mul (f32x4.sub (local.get $s) (local.get $t7)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $q (i32.add (local.get $q) (local.get $cfb)))
      (v128.store (local.get $q) (local.get $t8))
      (local.set $q (i32.add (local.get $q) (local.get $cfb)))
      (local.set $s (f32x4.add (local.get $t9) (local.get $t11)))
      (v128.store (local.get $q) (local.get $t9))
      (local.set $q (i32.add (local.get $q) (local.get $cfb)))
      (v128.store (local.get $q) (f32x4.mul (f32x4.add (local.get $s) (local.get $t10)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $q (i32.add (local.get $q) (local.get $cfb)))
      (v128.store (local.get $q) (f32x4.mul (f32x4.sub (local.get $s) (local.get $t10)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $q (i32.add (local.get $q) (local.get $cfb)))
      (v128.store (local.get $q) (local.get $t11))
      (local.set $off (i32.add (local.get $off) (i32.const 16)))
      (br $l))))

  ;; winogradInput: v (16 matrices of tiles×c, tiles = th·tw) = Bᵀ·d·B for
  ;; each channel of each tile's 4×4 patch d of x, an HWC input $wx pixels
  ;; wide whose tile (ty, tx) starts at row 2·ty, column 2·tx; c a multiple
  ;; of 4.
  (func (export "winogradInput")
    (param $v i32) (param $x i32) (param $th i32) (param $tw i32) (param $wx i32) (param $c i32)
    (local $ty i32) (local $tx i32) (local $ch i32) (local $cb i32) (local $rowb i32) (local $sb i32)
    (local $base i32) (local $o i32) (local $p i32) (local $q i32)
    (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $r4 v128) (local $r5 v128) (local $r6 v128) (local $r7 v128) (local $r8 v128) (local $r9 v128) (local $r10 v128) (local $r11 v128) (local $r12 v128) (local $r13 v128) (local $r14 v128) (local $r15 v128)
    (local.set $cb (i32.shl (local.get $c) (i32.const 2)))
    (local.set $rowb (i32.mul (local.get $wx) (local.get $cb)))
    (local.set $sb (i32.mul (i32.mul (local.get $th) (local.get $tw)) (local.get $cb)))
    (block $tydone (loop $tyl
      (br_if $tydone (i32.ge_s (local.get $ty) (local.get $th)))
      (local.set $tx (i32.const 0))
      (block $txdone (loop $txl
        (br_if $txdone (i32.ge_s (local.get $tx) (local.get $tw)))
        ;; the patch's first value, and the tile's row in v[0]
        (local.set $base (i32.add (local.get $x)
          (i32.mul (i32.add (i32.mul (i32.shl (local.get $ty) (i32.const 1)) (local.get $wx))
                            (i32.shl (local.get $tx) (i32.const 1)))
                   (local.get $cb))))
        (local.set $o (i32.add (local.get $v)
          (i32.mul (i32.add (i32.mul (local.get $ty) (local.get $tw)) (local.get $tx)) (local.get $cb))))
        (local.set $ch (i32.const 0))
        (block $chdone (loop $chl
          (br_if $chdone (i32.ge_u (local.get $ch) (local.get $cb)))
          ;; Bᵀ·d, a column at a time
          (local.set $p (i32.add (local.get $base) (local.get $ch)))
          (local.set $d0 (v128.load (local.get $p)))
          (local.set $d1 (v128.load (i32.add (local.get $p) (local.get $rowb))))
          (local.set $d2 (v128.load (i32.add (i32.add (local.get $p) (local.get $rowb)) (local.get $rowb))))
          (local.set $d3 (v128.load (i32.add (i32.add (i32.add (local.get $p) (local.get $rowb)) (local.get $rowb)) (local.get $rowb))))
          (local.set $r0 (f32x4.sub (local.get $d0) (local.get $d2)))
          (local.set $r4 (f32x4.add (local.get $d1) (local.get $d2)))
          (local.set $r8 (f32x4.sub (local.get $d2) (local.get $d1)))
          (local.set $r12 (f32x4.sub (local.get $d1) (local.get $d3)))
          (local.set $p (i32.add (local.get $p) (local.get $cb)))
          (local.set $d0 (v128.load (local.get $p)))
          (local.set $d1 (v128.load (i32.add (local.get $p) (local.get $rowb))))
          (local.set $d2 (v128.load (i32.add (i32.add (local.get $p) (local.get $rowb)) (local.get $rowb))))
          (local.set $d3 (v128.load (i32.add (i32.add (i32.add (local.get $p) (local.get $rowb)) (local.get $rowb)) (local.get $rowb))))
          (local.set $r1 (f32x4.sub (local.get $d0) (local.get $d2)))
          (local.set $r5 (f32x4.add (local.get $d1) (local.get $d2)))
          (local.set $r9 (f32x4.sub (local.get $d2) (local.get $d1)))
          (local.set $r13 (f32x4.sub (local.get $d1) (local.get $d3)))
          (local.set $p (i32.add (local.get $p) (local.get $cb)))
          (local.set $d0 (v128.load (local.get $p)))
          (local.set $d1 (v128.load (i32.add (local.get $p) (local.get $rowb))))
          (local.set $d2 (v128.load (i32.add (i32.add (local.get $p) (local.get $rowb)) (local.get $rowb))))
          (local.set $d3 (v128.load (i32.add (i32.add (i32.add (local.get $p) (local.get $rowb)) (local.get $rowb)) (local.get $rowb))))
          (local.set $r2 (f32x4.sub (local.get $d0) (local.get $d2)))
          (local.set $r6 (f32x4.add (local.get $d1) (local.get $d2)))
          (local.set $r10 (f32x4.sub (local.get $d2) (local.get $d1)))
          (local.set $r14 (f32x4.sub (local.get $d1) (local.get $d3)))
          (local.set $p (i32.add (local.get $p) (local.get $cb)))
          (local.set $d0 (v128.load (local.get $p)))
          (local.set $d1 (v128.load (i32.add (local.get $p) (local.get $rowb))))
          (local.set $d2 (v128.load (i32.add (i32.add (local.get $p) (local.get $rowb)) (local.get $rowb))))
          (local.set $d3 (v128.load (i32.add (i32.add (i32.add (local.get $p) (local.get $rowb)) (local.get $rowb)) (local.get $rowb))))
          (local.set $r3 (f32x4.sub (local.get $d0) (local.get $d2)))
          (local.set $r7 (f32x4.add (local.get $d1) (local.get $d2)))
          (local.set $r11 (f32x4.sub (local.get $d2) (local.get $d1)))
          (local.set $r15 (f32x4.sub (local.get $d1) (local.get $d3)))
          ;; (Bᵀ·d)·B, a row at a time, to v[ξ] for ξ = 0…15 in order
          (local.set $q (i32.add (local.get $o) (local.get $ch)))
          (v128.store (local.get $q) (f32x4.sub (local.get $r0) (local.get $r2)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.add (local.get $r1) (local.get $r2)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.sub (local.get $r2) (local.get $r1)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.sub (local.get $r1) (local.get $r3)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.sub (local.get $r4) (local.get $r6)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.add (local.get $r5) (local.get $r6)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.sub (local.get $r6) (local.get $r5)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.sub (local.get $r5) (local.get $r7)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.sub (local.get $r8) (local.get $r10)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.add (local.get $r9) (local.get $r10)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.sub (local.get $r10) (local.get $r9)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.sub (local.get $r9) (local.get $r11)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.sub (local.get $r12) (local.get $r14)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.add (local.get $r13) (local.get $r14)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.sub (local.get $r14) (local.get $r13)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.sub (local.get $r13) (local.get $r15)))
          (local.set $ch (i32.add (local.get $ch) (i32.const 16)))
          (br $chl)))
        (local.set $tx (i32.add (local.get $tx) (i32.const 1)))
        (br $txl)))
      (local.set $ty (i32.add (local.get $ty) (i32.const 1)))
      (br $tyl))))

  ;; winogradOutput: out (oh×ow×f, HWC) = Aᵀ·M·A plus the bias at $bias,
  ;; for each filter of each tile, M's 16 values from m (16 matrices of
  ;; tiles×f, tiles = th·tw); the parts of edge tiles past oh or ow are not
  ;; written. f a multiple of 4.
  (func (export "winogradOutput")
    (param $out i32) (param $m i32) (param $bias i32) (param $th i32) (param $tw i32)
    (param $oh i32) (param $ow i32) (param $f i32)
    (local $ty i32) (local $tx i32) (local $co i32) (local $fb i32) (local $sb i32)
    (local $o i32) (local $q i32) (local $p i32) (local $right i32) (local $lower i32) (local $b v128)
    (local $m0 v128) (local $m1 v128) (local $m2 v128) (local $m3 v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local.set $fb (i32.shl (local.get $f) (i32.const 2)))
    (local.set $sb (i32.mul (i32.mul (local.get $th) (local.get $tw)) (local.get $fb)))
    (block $tydone (loop $tyl
      (br_if $tydone (i32.ge_s (local.get $ty) (local.get $th)))
      ;; whether the tile's second row is inside the output
      (local.set $lower (i32.lt_s (i32.add (i32.shl (local.get $ty) (i32.const 1)) (i32.const 1)) (local.get $oh)))
      (local.set $tx (i32.const 0))
      (block $txdone (loop $txl
        (br_if $txdone (i32.ge_s (local.get $tx) (local.get $tw)))
        ;; whether its second column is
        (local.set $right (i32.lt_s (i32.add (i32.shl (local.get $tx) (i32.const 1)) (i32.const 1)) (local.get $ow)))
        (local.set $o (i32.add (local.get $m)
          (i32.mul (i32.add (i32.mul (local.get $ty) (local.get $tw)) (local.get $tx)) (local.get $fb))))
        (local.set $co (i32.const 0))
        (block $codone (loop $col
          (br_if $codone (i32.ge_u (local.get $co) (local.get $fb)))
          ;; Aᵀ·M, a column at a time: M's column j is m[j], m[4+j], m[8+j], m[12+j]
          (local.set $q (i32.add (i32.add (local.get $o) (local.get $co)) (i32.mul (local.get $sb) (i32.const 0))))
          (local.set $m0 (v128.load (local.get $q)))
          (local.set $q (i32.add (local.get $q) (i32.shl (local.get $sb) (i32.const 2))))
          (local.set $m1 (v128.load (local.get $q)))
          (local.set $q (i32.add (local.get $q) (i32.shl (local.get $sb) (i32.const 2))))
          (local.set $m2 (v128.load (local.get $q)))
          (local.set $q (i32.add (local.get $q) (i32.shl (local.get $sb) (i32.const 2))))
          (local.set $m3 (v128.load (local.get $q)))
          (local.set $a0 (f32x4.add (f32x4.add (local.get $m0) (local.get $m1)) (local.get $m2)))
          (local.set $a4 (f32x4.sub (f32x4.sub (local.get $m1) (local.get $m2)) (local.get $m3)))
          (local.set $q (i32.add (i32.add (local.get $o) (local.get $co)) (i32.mul (local.get $sb) (i32.const 1))))
          (local.set $m0 (v128.load (local.get $q)))
          (local.set $q (i32.add (local.get $q) (i32.shl (local.get $sb) (i32.const 2))))
          (local.set $m1 (v128.load (local.get $q)))
          (local.set $q (i32.add (local.get $q) (i32.shl (local.get $sb) (i32.const 2))))
          (local.set $m2 (v128.load (local.get $q)))
          (local.set $q (i32.add (local.get $q) (i32.shl (local.get $sb) (i32.const 2))))
          (local.set $m3 (v128.load (local.get $q)))
          (local.set $a1 (f32x4.add (f32x4.add (local.get $m0) (local.get $m1)) (local.get $m2)))
          (local.set $a5 (f32x4.sub (f32x4.sub (local.get $m1) (local.get $m2)) (local.get $m3)))
          (local.set $q (i32.add (i32.add (local.get $o) (local.get $co)) (i32.mul (local.get $sb) (i32.const 2))))
          (local.set $m0 (v128.load (local.get $q)))
          (local.set $q (i32.add (local.get $q) (i32.shl (local.get $sb) (i32.const 2))))
          (local.set $m1 (v128.load (local.get $q)))
          (local.set $q (i32.add (local.get $q) (i32.shl (local.get $sb) (i32.const 2))))
          (local.set $m2 (v128.load (local.get $q)))
          (local.set $q (i32.add (local.get $q) (i32.shl (local.get $sb) (i32.const 2))))
          (local.set $m3 (v128.load (local.get $q)))
          (local.set $a2 (f32x4.add (f32x4.add (local.get $m0) (local.get $m1)) (local.get $m2)))
          (local.set $a6 (f32x4.sub (f32x4.sub (local.get $m1) (local.get $m2)) (local.get $m3)))
          (local.set $q (i32.add (i32.add (local.get $o) (local.get $co)) (i32.mul (local.get $sb) (i32.const 3))))
          (local.set $m0 (v128.load (local.get $q)))
          (local.set $q (i32.add (local.get $q) (i32.shl (local.get $sb) (i32.const 2))))
          (local.set $m1 (v128.load (local.get $q)))
          (local.set $q (i32.add (local.get $q) (i32.shl (local.get $sb) (i32.const 2))))
          (local.set $m2 (v128.load (local.get $q)))
          (local.set $q (i32.add (local.get $q) (i32.shl (local.get $sb) (i32.const 2))))
          (local.set $m3 (v128.load (local.get $q)))
          (local.set $a3 (f32x4.add (f32x4.add (local.get $m0) (local.get $m1)) (local.get $m2)))
          (local.set $a7 (f32x4.sub (f32x4.sub (local.get $m1) (local.get $m2)) (local.get $m3)))
          (local.set $b (v128.load (i32.add (local.get $bias) (local.get $co))))
          ;; (Aᵀ·M)·A plus the bias, a row at a time
          (local.set $p (i32.add (i32.add (local.get $out) (local.get $co))
            (i32.mul (i32.add (i32.mul (i32.shl (local.get $ty) (i32.const 1)) (local.get $ow))
                              (i32.shl (local.get $tx) (i32.const 1)))
                     (local.get $fb))))
          (v128.store (local.get $p) (f32x4.add (f32x4.add (f32x4.add (local.get $a0) (local.get $a1)) (local.get $a2)) (local.get $b)))
          (if (local.get $right)
            (then (v128.store (i32.add (local.get $p) (local.get $fb)) (f32x4.add (f32x4.sub (f32x4.sub (local.get $a1) (local.get $a2)) (local.get $a3)) (local.get $b)))))
          (if (local.get $lower)
            (then
              (local.set $p (i32.add (local.get $p) (i32.mul (local.get $ow) (local.get $fb))))
              (v128.store (local.get $p) (f32x4.add (f32x4.add (f32x4.add (local.get $a4) (local.get $a5)) (local.get $a6)) (local.get $b)))
              (if (local.get $right)
                (then (v128.store (i32.add (local.get $p) (local.get $fb)) (f32x4.add (f32x4.sub (f32x4.sub (local.get $a5) (local.get $a6)) (local.get $a7)) (local.get $b)))))
              ))
          (local.set $co (i32.add (local.get $co) (i32.const 16)))
          (br $col)))
        (local.set $tx (i32.add (local.get $tx) (i32.const 1)))
        (br $txl)))
      (local.set $ty (i32.add (local.get $ty) (i32.const 1)))
      (br $tyl))))

  ;; winogradDout: d (16 matrices of tiles×f, tiles = th·tw) = A·y·Aᵀ for
  ;; each filter of each tile's 2×2 output gradient y, from dout (oh×ow×f,
  ;; HWC), zero past oh or ow; f a multiple of 4.
  (func (export "winogradDout")
    (param $d i32) (param $dout i32) (param $th i32) (param $tw i32)
    (param $oh i32) (param $ow i32) (param $f i32)
    (local $ty i32) (local $tx i32) (local $co i32) (local $fb i32) (local $sb i32)
    (local $o i32) (local $p i32) (local $q i32) (local $right i32) (local $lower i32)
    (local $y00 v128) (local $y01 v128) (local $y10 v128) (local $y11 v128)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $r4 v128) (local $r5 v128) (local $r6 v128) (local $r7 v128)
    (local.set $fb (i32.shl (local.get $f) (i32.const 2)))
    (local.set $sb (i32.mul (i32.mul (local.get $th) (local.get $tw)) (local.get $fb)))
    (block $tydone (loop $tyl
      (br_if $tydone (i32.ge_s (local.get $ty) (local.get $th)))
      ;; whether the tile's second row is inside dout
      (local.set $lower (i32.lt_s (i32.add (i32.shl (local.get $ty) (i32.const 1)) (i32.const 1)) (local.get $oh)))
      (local.set $tx (i32.const 0))
      (block $txdone (loop $txl
        (br_if $txdone (i32.ge_s (local.get $tx) (local.get $tw)))
        ;; whether its second column is
        (local.set $right (i32.lt_s (i32.add (i32.shl (local.get $tx) (i32.const 1)) (i32.const 1)) (local.get $ow)))
        (local.set $o (i32.add (local.get $d)
          (i32.mul (i32.add (i32.mul (local.get $ty) (local.get $tw)) (local.get $tx)) (local.get $fb))))
        (local.set $co (i32.const 0))
        (block $codone (loop $col
          (br_if $codone (i32.ge_u (local.get $co) (local.get $fb)))
          ;; y, zero outside dout
          (local.set $p (i32.add (i32.add (local.get $dout) (local.get $co))
            (i32.mul (i32.add (i32.mul (i32.shl (local.get $ty) (i32.const 1)) (local.get $ow))
                              (i32.shl (local.get $tx) (i32.const 1)))
                     (local.get $fb))))
          (local.set $y00 (v128.load (local.get $p)))
          (local.set $y01 (v128.const i32x4 0 0 0 0))
          (local.set $y10 (v128.const i32x4 0 0 0 0))
          (local.set $y11 (v128.const i32x4 0 0 0 0))
          (if (local.get $right)
            (then (local.set $y01 (v128.load (i32.add (local.get $p) (local.get $fb))))))
          (if (local.get $lower)
            (then
              (local.set $p (i32.add (local.get $p) (i32.mul (local.get $ow) (local.get $fb))))
              (local.set $y10 (v128.load (local.get $p)))
              (if (local.get $right)
                (then (local.set $y11 (v128.load (i32.add (local.get $p) (local.get $fb))))))))
          ;; A·y, a column at a time
          (local.set $r0 (local.get $y00))
          (local.set $r2 (f32x4.add (local.get $y00) (local.get $y10)))
          (local.set $r4 (f32x4.sub (local.get $y00) (local.get $y10)))
          (local.set $r6 (f32x4.neg (local.get $y10)))
          (local.set $r1 (local.get $y01))
          (local.set $r3 (f32x4.add (local.get $y01) (local.get $y11)))
          (local.set $r5 (f32x4.sub (local.get $y01) (local.get $y11)))
          (local.set $r7 (f32x4.neg (local.get $y11)))
          ;; (A·y)·Aᵀ, a row at a time, to d[ξ] for ξ = 0…15 in order
          (local.set $q (i32.add (local.get $o) (local.get $co)))
          (v128.store (local.get $q) (local.get $r0))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.add (local.get $r0) (local.get $r1)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.sub (local.get $r0) (local.get $r1)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.neg (local.get $r1)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (local.get $r2))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.add (local.get $r2) (local.get $r3)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.sub (local.get $r2) (local.get $r3)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.neg (local.get $r3)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (local.get $r4))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.add (local.get $r4) (local.get $r5)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.sub (local.get $r4) (local.get $r5)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.neg (local.get $r5)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (local.get $r6))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.add (local.get $r6) (local.get $r7)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.sub (local.get $r6) (local.get $r7)))
          (local.set $q (i32.add (local.get $q) (local.get $sb)))
          (v128.store (local.get $q) (f32x4.neg (local.get $r7)))
          (local.set $co (i32.add (local.get $co) (i32.const 16)))
          (br $col)))
        (local.set $tx (i32.add (local.get $tx) (i32.const 1)))
        (br $txl)))
      (local.set $ty (i32.add (local.get $ty) (i32.const 1)))
      (br $tyl))))

  ;; winogradWeightGrad: dw (3×3×c×f, HWIO; $cf = c·f, a multiple of 4) +=
  ;; Gᵀ·M·G for each (input channel, filter) pair, M's 16 values from m (16
  ;; matrices of c×f).
  (func (export "winogradWeightGrad") (param $dw i32) (param $m i32) (param $cf i32)
    (local $off i32) (local $cfb i32) (local $p i32) (local $h v128)
    (local $m0 v128) (local $m1 v128) (local $m2 v128) (local $m3 v128)
    (local $q0 v128) (local $q1 v128) (local $q2 v128) (local $q3 v128) (local $q4 v128) (local $q5 v128) (local $q6 v128) (local $q7 v128) (local $q8 v128) (local $q9 v128) (local $q10 v128) (local $q11 v128)
    (local.set $cfb (i32.shl (local.get $cf) (i32.const 2)))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $off) (local.get $cfb)))
      ;; Gᵀ·M, a column at a time: M's column j is m[j], m[4+j], m[8+j], m[12+j]
      (local.set $p (i32.add (i32.add (local.get $m) (local.get $off)) (i32.mul (local.get $cfb) (i32.const 0))))
      (local.set $m0 (v128.load (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.shl (local.get $cfb) (i32.const 2))))
      (local.set $m1 (v128.load (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.shl (local.get $cfb) (i32.const 2))))
      (local.set $m2 (v128.load (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.shl (local.get $cfb) (i32.const 2))))
      (local.set $m3 (v128.load (local.get $p)))
      (local.set $h (f32x4.mul (f32x4.add (local.get $m1) (local.get $m2)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $q0 (f32x4.add (local.get $m0) (local.get $h)))
      (local.set $q4 (f32x4.mul (f32x4.sub (local.get $m1) (local.get $m2)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $q8 (f32x4.add (local.get $h) (local.get $m3)))
      (local.set $p (i32.add (i32.add (local.get $m) (local.get $off)) (i32.mul (local.get $cfb) (i32.const 1))))
      (local.set $m0 (v128.load (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.shl (local.get $cfb) (i32.const 2))))
      (local.set $m1 (v128.load (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.shl (local.get $cfb) (i32.const 2))))
      (local.set $m2 (v128.load (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.shl (local.get $cfb) (i32.const 2))))
      (local.set $m3 (v128.load (local.get $p)))
      (local.set $h (f32x4.mul (f32x4.add (local.get $m1) (local.get $m2)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $q1 (f32x4.add (local.get $m0) (local.get $h)))
      (local.set $q5 (f32x4.mul (f32x4.sub (local.get $m1) (local.get $m2)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $q9 (f32x4.add (local.get $h) (local.get $m3)))
      (local.set $p (i32.add (i32.add (local.get $m) (local.get $off)) (i32.mul (local.get $cfb) (i32.const 2))))
      (local.set $m0 (v128.load (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.shl (local.get $cfb) (i32.const 2))))
      (local.set $m1 (v128.load (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.shl (local.get $cfb) (i32.const 2))))
      (local.set $m2 (v128.load (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.shl (local.get $cfb) (i32.const 2))))
      (local.set $m3 (v128.load (local.get $p)))
      (local.set $h (f32x4.mul (f32x4.add (local.get $m1) (local.get $m2)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $q2 (f32x4.add (local.get $m0) (local.get $h)))
      (local.set $q6 (f32x4.mul (f32x4.sub (local.get $m1) (local.get $m2)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $q10 (f32x4.add (local.get $h) (local.get $m3)))
      (local.set $p (i32.add (i32.add (local.get $m) (local.get $off)) (i32.mul (local.get $cfb) (i32.const 3))))
      (local.set $m0 (v128.load (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.shl (local.get $cfb) (i32.const 2))))
      (local.set $m1 (v128.load (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.shl (local.get $cfb) (i32.const 2))))
      (local.set $m2 (v128.load (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.shl (local.get $cfb) (i32.const 2))))
      (local.set $m3 (v128.load (local.get $p)))
      (local.set $h (f32x4.mul (f32x4.add (local.get $m1) (local.get $m2)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $q3 (f32x4.add (local.get $m0) (local.get $h)))
      (local.set $q7 (f32x4.mul (f32x4.sub (local.get $m1) (local.get $m2)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (local.set $q11 (f32x4.add (local.get $h) (local.get $m3)))
      ;; (Gᵀ·M)·G, a row at a time, added to dw[0…8] in order
      (local.set $p (i32.add (local.get $dw) (local.get $off)))
      (local.set $h (f32x4.mul (f32x4.add (local.get $q1) (local.get $q2)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (f32x4.add (local.get $q0) (local.get $h))))
      (local.set $p (i32.add (local.get $p) (local.get $cfb)))
      (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (f32x4.mul (f32x4.sub (local.get $q1) (local.get $q2)) (v128.const f32x4 0.5 0.5 0.5 0.5))))
      (local.set $p (i32.add (local.get $p) (local.get $cfb)))
      (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (f32x4.add (local.get $h) (local.get $q3))))
      (local.set $p (i32.add (local.get $p) (local.get $cfb)))
      (local.set $h (f32x4.mul (f32x4.add (local.get $q5) (local.get $q6)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (f32x4.add (local.get $q4) (local.get $h))))
      (local.set $p (i32.add (local.get $p) (local.get $cfb)))
      (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (f32x4.mul (f32x4.sub (local.get $q5) (local.get $q6)) (v128.const f32x4 0.5 0.5 0.5 0.5))))
      (local.set $p (i32.add (local.get $p) (local.get $cfb)))
      (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (f32x4.add (local.get $h) (local.get $q7))))
      (local.set $p (i32.add (local.get $p) (local.get $cfb)))
      (local.set $h (f32x4.mul (f32x4.add (local.get $q9) (local.get $q10)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
      (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (f32x4.add (local.get $q8) (local.get $h))))
      (local.set $p (i32.add (local.get $p) (local.get $cfb)))
      (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (f32x4.mul (f32x4.sub (local.get $q9) (local.get $q10)) (v128.const f32x4 0.5 0.5 0.5 0.5))))
      (local.set $p (i32.add (local.get $p) (local.get $cfb)))
      (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (f32x4.add (local.get $h) (local.get $q11))))
      (local.set $off (i32.add (local.get $off) (i32.const 16)))
      (br $l))))

  ;; scaleAdd: g = a·g + b·d for $n values (nn.ScaleAdd: a trainer's sum
  ;; of its workers' gradients), the same f32 operations as the Go loop, four
  ;; at a time, then the last n mod 4 one at a time.
  (func (export "scaleAdd") (param $g i32) (param $d i32) (param $n i32) (param $a f32) (param $b f32)
    (local $end i32) (local $end4 i32) (local $ka v128) (local $kb v128)
    (local.set $end (i32.add (local.get $g) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $g) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (local.set $ka (f32x4.splat (local.get $a)))
    (local.set $kb (f32x4.splat (local.get $b)))
    (block $d4 (loop $l4
      (br_if $d4 (i32.ge_u (local.get $g) (local.get $end4)))
      (v128.store (local.get $g)
        (f32x4.add (f32x4.mul (local.get $ka) (v128.load (local.get $g)))
                   (f32x4.mul (local.get $kb) (v128.load (local.get $d)))))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (local.set $d (i32.add (local.get $d) (i32.const 16)))
      (br $l4)))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $g) (local.get $end)))
      (f32.store (local.get $g)
        (f32.add (f32.mul (local.get $a) (f32.load (local.get $g)))
                 (f32.mul (local.get $b) (f32.load (local.get $d)))))
      (local.set $g (i32.add (local.get $g) (i32.const 4)))
      (local.set $d (i32.add (local.get $d) (i32.const 4)))
      (br $l1))))

  ;; finite: 1 if none of the $n values at $x is NaN or ±Inf, else 0, as
  ;; nn's finite: running sums of v-v, which stay 0 exactly when every v is
  ;; finite.
  (func (export "finite") (param $x i32) (param $n i32) (result i32)
    (local $end i32) (local $end4 i32) (local $v v128) (local $acc v128) (local $f f32) (local $s f32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $d4 (loop $l4
      (br_if $d4 (i32.ge_u (local.get $x) (local.get $end4)))
      (local.set $v (v128.load (local.get $x)))
      (local.set $acc (f32x4.add (local.get $acc) (f32x4.sub (local.get $v) (local.get $v))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (br $l4)))
    (local.set $s
      (f32.add
        (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
        (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $f (f32.load (local.get $x)))
      (local.set $s (f32.add (local.get $s) (f32.sub (local.get $f) (local.get $f))))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (br $l1)))
    (f32.eq (local.get $s) (f32.const 0)))

  ;; winograd4Input: vecOps.winograd4Input (nn/winograd4.go), four channels
  ;; at a time: v (36 matrices of tiles×c) = Bᵀ·d·B for each 6×6 patch d of
  ;; x (HWC, $wx pixels wide), tile (ty, tx) at row 4·ty, column 4·tx.
  ;; Bᵀ·d goes column by column to $tmp (36 vectors, row-major), then
  ;; (Bᵀ·d)·B row by row to v[ξ], ξ = 6·row + column. c is a multiple of 4.
  (func (export "winograd4Input")
    (param $v i32) (param $x i32) (param $th i32) (param $tw i32) (param $wx i32) (param $c i32) (param $tmp i32)
    (local $ty i32) (local $tx i32) (local $ch i32) (local $cb i32) (local $rowb i32) (local $sb i32)
    (local $base i32) (local $o i32) (local $p i32) (local $pp i32) (local $q i32) (local $tp i32) (local $j i32)
    (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128) (local $d4 v128) (local $d5 v128)
    (local $a v128) (local $b v128) (local $e v128) (local $g v128)
    (local.set $cb (i32.shl (local.get $c) (i32.const 2)))
    (local.set $rowb (i32.mul (local.get $wx) (local.get $cb)))
    (local.set $sb (i32.mul (i32.mul (local.get $th) (local.get $tw)) (local.get $cb)))
    (block $tydone (loop $tyl
      (br_if $tydone (i32.ge_s (local.get $ty) (local.get $th)))
      (local.set $tx (i32.const 0))
      (block $txdone (loop $txl
        (br_if $txdone (i32.ge_s (local.get $tx) (local.get $tw)))
        (local.set $base (i32.add (local.get $x)
          (i32.mul (i32.add (i32.mul (i32.shl (local.get $ty) (i32.const 2)) (local.get $wx))
                            (i32.shl (local.get $tx) (i32.const 2)))
                   (local.get $cb))))
        (local.set $o (i32.add (local.get $v)
          (i32.mul (i32.add (i32.mul (local.get $ty) (local.get $tw)) (local.get $tx)) (local.get $cb))))
        (local.set $ch (i32.const 0))
        (block $chdone (loop $chl
          (br_if $chdone (i32.ge_u (local.get $ch) (local.get $cb)))
          ;; Bᵀ·d, a column at a time
          (local.set $p (i32.add (local.get $base) (local.get $ch)))
          (local.set $tp (local.get $tmp))
          (local.set $j (i32.const 0))
          (loop $cl
            (local.set $d0 (v128.load (local.get $p)))
            (local.set $pp (local.get $p))
            (local.set $pp (i32.add (local.get $pp) (local.get $rowb)))
            (local.set $d1 (v128.load (local.get $pp)))
            (local.set $pp (i32.add (local.get $pp) (local.get $rowb)))
            (local.set $d2 (v128.load (local.get $pp)))
            (local.set $pp (i32.add (local.get $pp) (local.get $rowb)))
            (local.set $d3 (v128.load (local.get $pp)))
            (local.set $pp (i32.add (local.get $pp) (local.get $rowb)))
            (local.set $d4 (v128.load (local.get $pp)))
            (local.set $pp (i32.add (local.get $pp) (local.get $rowb)))
            (local.set $d5 (v128.load (local.get $pp)))
            (local.set $a (f32x4.sub (local.get $d4) (f32x4.mul (local.get $d2) (v128.const f32x4 4 4 4 4))))
            (local.set $b (f32x4.sub (local.get $d3) (f32x4.mul (local.get $d1) (v128.const f32x4 4 4 4 4))))
            (local.set $e (f32x4.mul (f32x4.sub (local.get $d3) (local.get $d1)) (v128.const f32x4 2 2 2 2)))
            (local.set $g (f32x4.sub (local.get $d4) (local.get $d2)))
            (v128.store (local.get $tp) (f32x4.add (f32x4.sub (f32x4.mul (local.get $d0) (v128.const f32x4 4 4 4 4)) (f32x4.mul (local.get $d2) (v128.const f32x4 5 5 5 5))) (local.get $d4)))
            (v128.store offset=96 (local.get $tp) (f32x4.add (local.get $a) (local.get $b)))
            (v128.store offset=192 (local.get $tp) (f32x4.sub (local.get $a) (local.get $b)))
            (v128.store offset=288 (local.get $tp) (f32x4.add (local.get $g) (local.get $e)))
            (v128.store offset=384 (local.get $tp) (f32x4.sub (local.get $g) (local.get $e)))
            (v128.store offset=480 (local.get $tp) (f32x4.add (f32x4.sub (f32x4.mul (local.get $d1) (v128.const f32x4 4 4 4 4)) (f32x4.mul (local.get $d3) (v128.const f32x4 5 5 5 5))) (local.get $d5)))
            (local.set $p (i32.add (local.get $p) (local.get $cb)))
            (local.set $tp (i32.add (local.get $tp) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $cl (i32.lt_u (local.get $j) (i32.const 6))))
          ;; (Bᵀ·d)·B, a row at a time, to v[ξ] for ξ = 0…35 in order
          (local.set $q (i32.add (local.get $o) (local.get $ch)))
          (local.set $tp (local.get $tmp))
          (local.set $j (i32.const 0))
          (loop $rl
            (local.set $d0 (v128.load (local.get $tp)))
            (local.set $d1 (v128.load offset=16 (local.get $tp)))
            (local.set $d2 (v128.load offset=32 (local.get $tp)))
            (local.set $d3 (v128.load offset=48 (local.get $tp)))
            (local.set $d4 (v128.load offset=64 (local.get $tp)))
            (local.set $d5 (v128.load offset=80 (local.get $tp)))
            (local.set $a (f32x4.sub (local.get $d4) (f32x4.mul (local.get $d2) (v128.const f32x4 4 4 4 4))))
            (local.set $b (f32x4.sub (local.get $d3) (f32x4.mul (local.get $d1) (v128.const f32x4 4 4 4 4))))
            (local.set $e (f32x4.mul (f32x4.sub (local.get $d3) (local.get $d1)) (v128.const f32x4 2 2 2 2)))
            (local.set $g (f32x4.sub (local.get $d4) (local.get $d2)))
            (v128.store (local.get $q) (f32x4.add (f32x4.sub (f32x4.mul (local.get $d0) (v128.const f32x4 4 4 4 4)) (f32x4.mul (local.get $d2) (v128.const f32x4 5 5 5 5))) (local.get $d4)))
            (local.set $q (i32.add (local.get $q) (local.get $sb)))
            (v128.store (local.get $q) (f32x4.add (local.get $a) (local.get $b)))
            (local.set $q (i32.add (local.get $q) (local.get $sb)))
            (v128.store (local.get $q) (f32x4.sub (local.get $a) (local.get $b)))
            (local.set $q (i32.add (local.get $q) (local.get $sb)))
            (v128.store (local.get $q) (f32x4.add (local.get $g) (local.get $e)))
            (local.set $q (i32.add (local.get $q) (local.get $sb)))
            (v128.store (local.get $q) (f32x4.sub (local.get $g) (local.get $e)))
            (local.set $q (i32.add (local.get $q) (local.get $sb)))
            (v128.store (local.get $q) (f32x4.add (f32x4.sub (f32x4.mul (local.get $d1) (v128.const f32x4 4 4 4 4)) (f32x4.mul (local.get $d3) (v128.const f32x4 5 5 5 5))) (local.get $d5)))
            (local.set $q (i32.add (local.get $q) (local.get $sb)))
            (local.set $tp (i32.add (local.get $tp) (i32.const 96)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $rl (i32.lt_u (local.get $j) (i32.const 6))))
          (local.set $ch (i32.add (local.get $ch) (i32.const 16)))
          (br $chl)))
        (local.set $tx (i32.add (local.get $tx) (i32.const 1)))
        (br $txl)))
      (local.set $ty (i32.add (local.get $ty) (i32.const 1)))
      (br $tyl))))

  ;; winograd4Output: vecOps.winograd4Output (nn/winograd4.go), four filters
  ;; at a time: out (oh×ow×f, HWC) = Aᵀ·M·A plus the bias for each tile, M's
  ;; 36 values from m (36 matrices of tiles×f); Aᵀ·M goes column by column
  ;; to $tmp (24 vectors, row-major), then (Aᵀ·M)·A row by row to out, the
  ;; parts of edge tiles past oh or ow dropped. f is a multiple of 4.
  (func (export "winograd4Output")
    (param $out i32) (param $m i32) (param $bias i32) (param $th i32) (param $tw i32) (param $oh i32) (param $ow i32) (param $f i32) (param $tmp i32)
    (local $ty i32) (local $tx i32) (local $co i32) (local $fb i32) (local $sb i32) (local $sb6 i32)
    (local $o i32) (local $p i32) (local $pp i32) (local $q i32) (local $tp i32) (local $j i32) (local $r i32) (local $ox i32)
    (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128) (local $d4 v128) (local $d5 v128)
    (local $a v128) (local $b v128) (local $e v128) (local $g v128) (local $bias4 v128)
    (local.set $fb (i32.shl (local.get $f) (i32.const 2)))
    (local.set $sb (i32.mul (i32.mul (local.get $th) (local.get $tw)) (local.get $fb)))
    (local.set $sb6 (i32.mul (local.get $sb) (i32.const 6)))
    (block $tydone (loop $tyl
      (br_if $tydone (i32.ge_s (local.get $ty) (local.get $th)))
      (local.set $tx (i32.const 0))
      (block $txdone (loop $txl
        (br_if $txdone (i32.ge_s (local.get $tx) (local.get $tw)))
        (local.set $o (i32.add (local.get $m)
          (i32.mul (i32.add (i32.mul (local.get $ty) (local.get $tw)) (local.get $tx)) (local.get $fb))))
        (local.set $ox (i32.shl (local.get $tx) (i32.const 2)))
        (local.set $co (i32.const 0))
        (block $codone (loop $col
          (br_if $codone (i32.ge_u (local.get $co) (local.get $fb)))
          (local.set $bias4 (v128.load (i32.add (local.get $bias) (local.get $co))))
          ;; Aᵀ·M, a column at a time
          (local.set $q (i32.add (local.get $o) (local.get $co)))
          (local.set $tp (local.get $tmp))
          (local.set $j (i32.const 0))
          (loop $cl
            (local.set $pp (local.get $q))
            (local.set $d0 (v128.load (local.get $pp)))
            (local.set $pp (i32.add (local.get $pp) (local.get $sb6)))
            (local.set $d1 (v128.load (local.get $pp)))
            (local.set $pp (i32.add (local.get $pp) (local.get $sb6)))
            (local.set $d2 (v128.load (local.get $pp)))
            (local.set $pp (i32.add (local.get $pp) (local.get $sb6)))
            (local.set $d3 (v128.load (local.get $pp)))
            (local.set $pp (i32.add (local.get $pp) (local.get $sb6)))
            (local.set $d4 (v128.load (local.get $pp)))
            (local.set $pp (i32.add (local.get $pp) (local.get $sb6)))
            (local.set $d5 (v128.load (local.get $pp)))
            (local.set $a (f32x4.add (local.get $d1) (local.get $d2)))
            (local.set $b (f32x4.sub (local.get $d1) (local.get $d2)))
            (local.set $g (f32x4.add (local.get $d3) (local.get $d4)))
            (local.set $e (f32x4.sub (local.get $d3) (local.get $d4)))
            (v128.store (local.get $tp) (f32x4.add (f32x4.add (local.get $d0) (local.get $a)) (local.get $g)))
            (v128.store offset=96 (local.get $tp) (f32x4.add (local.get $b) (f32x4.mul (local.get $e) (v128.const f32x4 2 2 2 2))))
            (v128.store offset=192 (local.get $tp) (f32x4.add (local.get $a) (f32x4.mul (local.get $g) (v128.const f32x4 4 4 4 4))))
            (v128.store offset=288 (local.get $tp) (f32x4.add (f32x4.add (local.get $b) (f32x4.mul (local.get $e) (v128.const f32x4 8 8 8 8))) (local.get $d5)))
            (local.set $q (i32.add (local.get $q) (local.get $sb)))
            (local.set $tp (i32.add (local.get $tp) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $cl (i32.lt_u (local.get $j) (i32.const 6))))
          ;; (Aᵀ·M)·A plus the bias, a row at a time, rows below oh only
          (local.set $tp (local.get $tmp))
          (local.set $r (i32.const 0))
          (block $rdone (loop $rl
            (br_if $rdone (i32.ge_s (i32.add (i32.shl (local.get $ty) (i32.const 2)) (local.get $r)) (local.get $oh)))
            (br_if $rdone (i32.ge_u (local.get $r) (i32.const 4)))
            (local.set $p (i32.add (local.get $out)
              (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.shl (local.get $ty) (i32.const 2)) (local.get $r)) (local.get $ow))
                                         (local.get $ox))
                                (local.get $fb))
                       (local.get $co))))
            (local.set $d0 (v128.load (local.get $tp)))
            (local.set $d1 (v128.load offset=16 (local.get $tp)))
            (local.set $d2 (v128.load offset=32 (local.get $tp)))
            (local.set $d3 (v128.load offset=48 (local.get $tp)))
            (local.set $d4 (v128.load offset=64 (local.get $tp)))
            (local.set $d5 (v128.load offset=80 (local.get $tp)))
            (local.set $a (f32x4.add (local.get $d1) (local.get $d2)))
            (local.set $b (f32x4.sub (local.get $d1) (local.get $d2)))
            (local.set $g (f32x4.add (local.get $d3) (local.get $d4)))
            (local.set $e (f32x4.sub (local.get $d3) (local.get $d4)))
            (v128.store (local.get $p) (f32x4.add (f32x4.add (f32x4.add (local.get $d0) (local.get $a)) (local.get $g)) (local.get $bias4)))
            (if (i32.lt_s (i32.add (local.get $ox) (i32.const 1)) (local.get $ow)) (then
              (v128.store offset=0 (i32.add (local.get $p) (i32.mul (local.get $fb) (i32.const 1))) (f32x4.add (f32x4.add (local.get $b) (f32x4.mul (local.get $e) (v128.const f32x4 2 2 2 2))) (local.get $bias4)))))
            (if (i32.lt_s (i32.add (local.get $ox) (i32.const 2)) (local.get $ow)) (then
              (v128.store offset=0 (i32.add (local.get $p) (i32.mul (local.get $fb) (i32.const 2))) (f32x4.add (f32x4.add (local.get $a) (f32x4.mul (local.get $g) (v128.const f32x4 4 4 4 4))) (local.get $bias4)))))
            (if (i32.lt_s (i32.add (local.get $ox) (i32.const 3)) (local.get $ow)) (then
              (v128.store offset=0 (i32.add (local.get $p) (i32.mul (local.get $fb) (i32.const 3))) (f32x4.add (f32x4.add (f32x4.add (local.get $b) (f32x4.mul (local.get $e) (v128.const f32x4 8 8 8 8))) (local.get $d5)) (local.get $bias4)))))
            (local.set $tp (i32.add (local.get $tp) (i32.const 96)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $rl)))
          (local.set $co (i32.add (local.get $co) (i32.const 16)))
          (br $col)))
        (local.set $tx (i32.add (local.get $tx) (i32.const 1)))
        (br $txl)))
      (local.set $ty (i32.add (local.get $ty) (i32.const 1)))
      (br $tyl))))
)
