// The smallest possible worker: no wasm, no bindings, one static JSON body.
export default {
  fetch() {
    return new Response('{"data":"hello"}', { headers: { 'content-type': 'application/json' } });
  },
};
