// tfjs-core 4's Node bundle registers no gradient functions (its register_all_gradients exists only as extensionless
// ESM that Node cannot load); tfjs-layers' Node bundle carries them all and registers them in tfjs's global registry.
import '@tensorflow/tfjs-layers';
