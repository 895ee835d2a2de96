;; cnnplay's WebAssembly SIMD128 GEMM kernel.
;;
;; Go's compiler emits no SIMD for wasm, so this small module does the inner
;; loops of nn's packed matrix product. It imports the Go instance's own
;; linear memory (the host passes instance.exports.mem as env.mem) and works
;; on Go slices in place: every pointer argument is a byte offset into that
;; memory. Assemble with `wat2wasm nn/simd/gemm.wat -o nn/simd/gemm.wasm`
;; (Debian's wabt); the committed gemm.wasm is checked against it by
;; TestSIMDModuleAssembled.
;;
;; Layout (see packA and packB in nn/gemm.go, with mr=4, nr=8): the packed A
;; block holds panels of 4 rows, each kc steps of 4 floats; the packed B
;; block holds panels of 8 columns, each kc steps of 8 floats.
(module
  (import "env" "mem" (memory 1))

  ;; gemm adds the product of one packed kc-deep block, A (m×kc, in panels
  ;; at $pa) times B (kc×n, in panels at $pb), to the m×n matrix C at $c
  ;; with leading dimension $ldc (in floats). $tile is scratch for 32 floats
  ;; used by the tiles that overhang m or n. Requires m, n, kc ≥ 1.
  ;;
  ;; For each 4x8 tile of C, eight f32x4 accumulators hold the tile's rows
  ;; (two vectors per row); each step k broadcasts the four A values and
  ;; multiplies them by B's two vectors.
  (func (export "gemm")
    (param $c i32) (param $ldc i32) (param $m i32) (param $n i32)
    (param $pa i32) (param $pb i32) (param $kc i32) (param $tile i32)
    (local $i i32) (local $j i32)
    (local $a i32) (local $b i32) (local $aend i32) (local $bpanel i32)
    (local $ct i32) (local $ldb i32) (local $rows i32) (local $cols i32)
    (local $r i32) (local $q i32) (local $src i32) (local $dst i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $av v128)

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
            (v128.store (local.get $ct) (f32x4.add (v128.load (local.get $ct)) (local.get $c00)))
            (v128.store offset=16 (local.get $ct) (f32x4.add (v128.load offset=16 (local.get $ct)) (local.get $c01)))
            (local.set $ct (i32.add (local.get $ct) (local.get $ldb)))
            (v128.store (local.get $ct) (f32x4.add (v128.load (local.get $ct)) (local.get $c10)))
            (v128.store offset=16 (local.get $ct) (f32x4.add (v128.load offset=16 (local.get $ct)) (local.get $c11)))
            (local.set $ct (i32.add (local.get $ct) (local.get $ldb)))
            (v128.store (local.get $ct) (f32x4.add (v128.load (local.get $ct)) (local.get $c20)))
            (v128.store offset=16 (local.get $ct) (f32x4.add (v128.load offset=16 (local.get $ct)) (local.get $c21)))
            (local.set $ct (i32.add (local.get $ct) (local.get $ldb)))
            (v128.store (local.get $ct) (f32x4.add (v128.load (local.get $ct)) (local.get $c30)))
            (v128.store offset=16 (local.get $ct) (f32x4.add (v128.load offset=16 (local.get $ct)) (local.get $c31))))
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
                  (f32.add (f32.load (local.get $dst)) (f32.load (local.get $src))))
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
)
