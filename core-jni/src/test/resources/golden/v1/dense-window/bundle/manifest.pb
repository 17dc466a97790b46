άξΊκ¤4
"  ",
slice_idtimevalue_1value_2 (08@*P
model.pt@2a025818e23289aab098a30c64fe5ea21b32c5d51c0f7d5b74c542813097bc31³*O
	scaler.pb@ff8e75b5c8dfaee1d20669b276bae2ef3c41064c1ed1136cb7825adf724e6765;*S
threshold.pb@ae1ef31940de1c49b4eb4f8b2b6a70d749ecc1075733e5dd8f6d861b3faf4daaΌ
*T
provenance.pb@d625f1fa0819ef70c6ac435d5f52b9e1570445a70079ca651ded4efa7b101818‚2dev