;; cnnplay's WebAssembly relaxed-SIMD GEMM kernels: gemm.wat's gemmBlock and
;; gemmRows with each multiply and add fused into one f32x4.relaxed_madd.
;;
;; Relaxed SIMD is newer than SIMD128 (Chrome 114; node 20 only with
;; --experimental-wasm-relaxed-simd), so these live in a module of their own:
;; an engine without it rejects only this module, and nn keeps gemm.wasm's
;; kernels. nn embeds this module (nn/simd.FMAModule) and instantiates it at
;; start, where WebAssembly.validate accepts it, on the memory gemm.wasm
;; exports (nn/gemm_js.go). Where the processor fuses (x86 with FMA3, ARM64)
;; relaxed_madd rounds once and the inner loop does half the operations; it
;; may also round twice, so results are equal to the SIMD128 kernel's only
;; up to float rounding. Assemble with
;; `wat2wasm --enable-relaxed-simd nn/simd/gemm_fma.wat -o nn/simd/gemm_fma.wasm`;
;; TestModuleAssembled checks the committed binary.
;;
;; The arguments, layouts and results are gemm.wat's; see the comments there.
(module
  (import "env" "mem" (memory 1))

  ;; gemmBlock: C (m×n at $c) += the packed block A·B, or C = A·B with
  ;; $acc = 0, 4x8 tiles, as gemm.wat's gemmBlock.
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
          (local.set $c00 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c00)))
          (local.set $c01 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c01)))
          (local.set $av (v128.load32_splat offset=4 (local.get $a)))
          (local.set $c10 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c10)))
          (local.set $c11 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c11)))
          (local.set $av (v128.load32_splat offset=8 (local.get $a)))
          (local.set $c20 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c20)))
          (local.set $c21 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c21)))
          (local.set $av (v128.load32_splat offset=12 (local.get $a)))
          (local.set $c30 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c30)))
          (local.set $c31 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c31)))
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

  ;; gemmRows: C = A·B or C += A·B for a few rows of A, without packing
  ;; B, over 256-deep blocks, skipping A's zeros where asked, as gemm.wat's
  ;; gemmRows.
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
                (local.set $s0 (f32x4.relaxed_madd (local.get $av) (v128.load (local.get $bp)) (local.get $s0)))
                (local.set $s1 (f32x4.relaxed_madd (local.get $av) (v128.load offset=16 (local.get $bp)) (local.get $s1)))
                (local.set $s2 (f32x4.relaxed_madd (local.get $av) (v128.load offset=32 (local.get $bp)) (local.get $s2)))
                (local.set $s3 (f32x4.relaxed_madd (local.get $av) (v128.load offset=48 (local.get $bp)) (local.get $s3)))
                (local.set $s4 (f32x4.relaxed_madd (local.get $av) (v128.load offset=64 (local.get $bp)) (local.get $s4)))
                (local.set $s5 (f32x4.relaxed_madd (local.get $av) (v128.load offset=80 (local.get $bp)) (local.get $s5)))
                (local.set $s6 (f32x4.relaxed_madd (local.get $av) (v128.load offset=96 (local.get $bp)) (local.get $s6)))
                (local.set $s7 (f32x4.relaxed_madd (local.get $av) (v128.load offset=112 (local.get $bp)) (local.get $s7)))
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
                    (local.set $s0 (f32x4.relaxed_madd (v128.load32_splat offset=4 (local.get $q)) (v128.load (i32.add (local.get $bb) (i32.load (local.get $q)))) (local.get $s0)))
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
      (br $il)))))
