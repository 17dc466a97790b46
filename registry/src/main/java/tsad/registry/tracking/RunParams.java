package tsad.registry.tracking;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tsad.core.model.Versions;
import tsad.core.train.TrainRequest;
import tsad.proto.DataSummary;

/** Flattens a training request and its data summary into MLflow params (every field, defaults included). */
final class RunParams {
  private RunParams() {}

  static Map<String, String> of(TrainRequest req, DataSummary data, String gitCommit) {
    Map<String, String> p = new LinkedHashMap<>();
    flatten(req.config(), "", p);
    flatten(req.initFrom() != null ? req.initFrom().modelSpec() : req.model(), "model.", p);
    flatten(req.data(), "data.", p);
    flatten(data, "input.", p);
    p.put("code.tsad_version", Versions.TSAD);
    p.put("code.git_commit", gitCommit.isEmpty() ? "unknown" : gitCommit);
    p.put("init_from", req.parentModel() == null || req.parentModel().isEmpty() ? "none" : req.parentModel());
    p.put("refit_scaler", Boolean.toString(req.refitScaler()));
    return p;
  }

  private static void flatten(Message m, String prefix, Map<String, String> out) {
    for (FieldDescriptor fd : m.getDescriptorForType().getFields()) {
      Object v = m.getField(fd);
      if (fd.isMapField()) {
        for (Object e : (List<?>) v) {
          Message entry = (Message) e;
          Object key = entry.getField(entry.getDescriptorForType().findFieldByName("key"));
          Object val = entry.getField(entry.getDescriptorForType().findFieldByName("value"));
          out.put(prefix + fd.getName() + "." + key, String.valueOf(val));
        }
      } else if (fd.isRepeated()) {
        out.put(prefix + fd.getName(), ((List<?>) v).stream().map(String::valueOf).collect(Collectors.joining(",")));
      } else if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        flatten((Message) v, prefix + fd.getName() + ".", out);
      } else {
        out.put(prefix + fd.getName(), String.valueOf(v));
      }
    }
  }
}
