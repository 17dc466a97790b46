∑˜∫Í§4 " 8"!
slice_idtimevalue (0 8 @*P
model.pt@e034ba98ae904a81d5e383e6b76c3bedc8a118bc58b678cb1278c88745da8730ùô*O
	scaler.pb@38ec6a21a34be62a094e3189f53aa940c7c3a1484acf96a145d498adc6277e6b *S
threshold.pb@28d563d01e6b63dbee1a00611525151b0788dc54ccd39c704a1611b44121526bπ
*T
provenance.pb@aee16ccb4a3bbb1ae2ec0590d67a3e7f0b4f96ee96cbc35483c9621bddfca899”2dev